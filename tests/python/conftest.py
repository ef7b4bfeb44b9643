# pytester runs small test files through the plugin, to check what a user
# sees when a test fails or a fixture is misused.
pytest_plugins = ["pytester"]
