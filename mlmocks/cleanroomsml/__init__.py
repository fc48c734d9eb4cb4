"""AWS Clean Rooms ML, custom models: configured model algorithms and their associations
with a collaboration, trained models (with versions from incremental training), trained
model export jobs and inference jobs, and tags.

Collaborations and memberships belong to the separate Clean Rooms service: a test author
declares them through the job control (``declare_collaboration``).

Where each operation is: ``collaborations.py`` (collaborations and memberships, shared by
the members' accounts), ``algorithms.py`` (configured model algorithms and their
associations), ``trained_models.py`` (trained models and their export jobs),
``inference_jobs.py`` (trained model inference jobs); the lookalike side in
``training_datasets.py``, ``audience_models.py``, ``configured_audience_models.py`` (with
their policies) and ``audience_jobs.py`` (audience generation and export jobs); ``models.py`` composes them into the
backend, ``responses.py`` says which operation is which verb, ``control.py`` declares
collaborations.
"""

from mlmocks.core.registry import ServiceSpec

SPEC = ServiceSpec(
    service="cleanroomsml",
    url_bases=(r"https?://cleanrooms-ml\.(.+)\.amazonaws\.com",),
    job_kinds=(
        "cleanroomsml::trained-model",
        "cleanroomsml::trained-model-export-job",
        "cleanroomsml::trained-model-inference-job",
        "cleanroomsml::audience-model",
        "cleanroomsml::audience-generation-job",
        "cleanroomsml::audience-export-job",
    ),
    control_methods=("declare_collaboration",),
    # botocore lists no regions for cleanrooms-ml: EC2's.
    regions_of="ec2",
)
