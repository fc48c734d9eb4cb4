from tests.modes import aws, decorator_aws  # noqa: F401  (fixtures)
