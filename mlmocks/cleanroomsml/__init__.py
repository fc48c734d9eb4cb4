"""AWS Clean Rooms ML, custom models: configured model algorithms and their associations
with a collaboration, trained models (with versions from incremental training), trained
model export jobs and inference jobs, and tags.

Collaborations and memberships belong to the separate Clean Rooms service (mlmocks'
``cleanrooms``: its API, or the job control's ``declare_collaboration``), read here
through the core registry.

Where each operation is: ``collaborations.py`` (collaborations and memberships, shared by
the members' accounts), ``algorithms.py`` (configured model algorithms and their
associations), ``trained_models.py`` (trained models and their export jobs),
``inference_jobs.py`` (trained model inference jobs), ``input_channels.py`` (ML input
channels), ``ml_configurations.py`` (each membership's ML configuration); the lookalike
side in ``training_datasets.py``, ``audience_models.py``, ``configured_audience_models.py``
(with their policies) and ``audience_jobs.py`` (audience generation and export jobs);
``models.py`` composes them into the backend, ``responses.py`` says which operation is
which verb.
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
        "cleanroomsml::ml-input-channel",
    ),
    # botocore lists no regions for cleanrooms-ml: EC2's.
    regions_of="ec2",
)
