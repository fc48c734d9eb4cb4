"""Amazon SageMaker Neo compilation jobs.

Every other SageMaker action (training jobs, models, endpoints, tags on moto's
resources, ...) is moto's, on the same host: mlmocks answers only the compilation job
family and tags on compilation-job ARNs.
"""

from mlmocks.core.registry import ServiceSpec

SPEC = ServiceSpec(
    service="sagemaker",
    # moto's own url base for SageMaker, so both sides see the same requests.
    url_bases=(r"https?://api\.sagemaker\.(.+)\.amazonaws.com",),
    job_kinds=(
        "sagemaker::compilation-job",
        "sagemaker::automl-job",
        "sagemaker::edge-packaging-job",
        "sagemaker::optimization-job",
        "sagemaker::inference-recommendations-job",
    ),
    moto_service="sagemaker",
)
