"""A ``boto3.Session`` whose clients and resources default to one endpoint.

boto3 needs ``endpoint_url`` on every ``client()`` call; this session gives
it, so code under test that takes a session needs no change. Imported only
when a session is asked for, so the package works without boto3.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore import UNSIGNED
from botocore.config import Config


class EndpointSession(boto3.Session):
    """A boto3 session on an ``xacct serve`` endpoint."""

    def __init__(self, endpoint: str, *, unsigned: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.xacct_endpoint = endpoint
        self._unsigned = unsigned

    def _defaults(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        kwargs.setdefault("endpoint_url", self.xacct_endpoint)
        if self._unsigned:
            unsigned = Config(signature_version=UNSIGNED)
            given = kwargs.get("config")
            kwargs["config"] = given.merge(unsigned) if given else unsigned
        return kwargs

    def client(self, *args: Any, **kwargs: Any) -> Any:  # noqa: D102 (boto3's)
        return super().client(*args, **self._defaults(kwargs))

    def resource(self, *args: Any, **kwargs: Any) -> Any:  # noqa: D102 (boto3's)
        return super().resource(*args, **self._defaults(kwargs))
