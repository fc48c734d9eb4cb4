"""Amazon Neptune ML on the Neptune data API: data processing, model training and model
transform jobs, and inference endpoints, per Neptune cluster endpoint."""

from mlmocks.core.registry import ServiceSpec

SPEC = ServiceSpec(
    service="neptunedata",
    url_bases=(
        # The default endpoint, and the host moto's server infers from the signature.
        r"https?://neptune-db\.(.+)\.amazonaws\.com",
        # Cluster endpoints, as real clients call them (port 8182 as a rule).
        r"https?://[^/]+\.neptune\.amazonaws\.com(:\d+)?",
    ),
    # botocore lists no regions for neptunedata (clients always name their endpoint).
    regions_of="neptune",
    job_kinds=(
        "neptunedata::ml-data-processing-job",
        "neptunedata::ml-model-training-job",
        "neptunedata::ml-model-transform-job",
        "neptunedata::ml-endpoint",
    ),
)
