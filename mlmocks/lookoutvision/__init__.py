"""Amazon Lookout for Vision: projects, their train and test datasets, model versions
(training, hosting, anomaly detection) and model packaging jobs, with tags on models.

The service reached end of support and current botocore no longer ships its client:
mlmocks ships the service model (``mlmocks/data/lookoutvision``), and importing mlmocks
makes botocore find it, so ``boto3.client("lookoutvision")`` works again.
"""

from mlmocks.core.registry import ServiceSpec

SPEC = ServiceSpec(
    service="lookoutvision",
    url_bases=(r"https?://lookoutvision\.(.+)\.amazonaws\.com",),
    # Current botocore lists no regions for a service it dropped. It ran in seven, but a
    # client in any region gets an answer, as from moto's own services: EC2's regions.
    regions_of="ec2",
    job_kinds=(
        "lookoutvision::dataset",
        "lookoutvision::dataset-update",
        "lookoutvision::model",
        "lookoutvision::model-hosting",
        "lookoutvision::model-packaging-job",
    ),
)
