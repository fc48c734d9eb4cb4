"""Amazon SageMaker's ML jobs: Neo compilation jobs; training, processing, transform and
hyperparameter tuning jobs.

Every other SageMaker action (models, endpoints, pipelines, experiments, tags on moto's
resources, ...) is moto's, on the same host: mlmocks answers its job families, tags on
their ARNs, and Search for training and tuning jobs.
"""

from mlmocks.core.registry import ServiceSpec

SPEC = ServiceSpec(
    service="sagemaker",
    # moto's own url base for SageMaker, so both sides see the same requests.
    url_bases=(r"https?://api\.sagemaker\.(.+)\.amazonaws.com",),
    job_kinds=(
        "sagemaker::compilation-job",
        "sagemaker::training-job",
        "sagemaker::processing-job",
        "sagemaker::transform-job",
        "sagemaker::hyper-parameter-tuning-job",
        "sagemaker::automl-job",
        "sagemaker::edge-packaging-job",
        "sagemaker::optimization-job",
        "sagemaker::inference-recommendations-job",
    ),
    moto_service="sagemaker",
)
