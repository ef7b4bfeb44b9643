"""xacct from Python: serve a simulated AWS world and test against it.

``pip install xacct`` puts the ``xacct`` command on PATH and registers a
pytest plugin (fixtures ``xacct`` and ``xacct_world``, marker
``xacct_scenario``). Outside pytest::

    import xacct
    with xacct.serve("scenarios/success.yaml") as world:
        sts = world.client("sts", "arn:aws:iam::111111111111:user/homes")
        print(sts.get_caller_identity()["Arn"])
"""

from ._binary import BinaryNotFound, binary
from ._world import World, XacctError, serve

__all__ = ["BinaryNotFound", "World", "XacctError", "binary", "serve"]
