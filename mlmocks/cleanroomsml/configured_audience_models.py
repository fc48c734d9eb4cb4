"""Configured audience models (an account's audience model, with where its audiences go,
the audience sizes it allows and the metrics it shares) and their resource policies.

Another member of a collaboration starts audience generation jobs with a configured
audience model that is not in its account, so every configured audience model of a
region is also in the region's ``AudienceDirectory`` (as its generation jobs are),
shared by every account's backend there, under the lock the collaborations share.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.base_backend import BaseBackend

from mlmocks.core.jobs import now
from mlmocks.core.listing import Page, Store

from . import SPEC
from .audience_models import DELETED, AudienceModel, AudienceModelsBackend
from .common import TAG_RULES, found, page, present
from .exceptions import ConflictException, ResourceNotFoundException, ValidationException
from .training_datasets import resource_id

if TYPE_CHECKING:
    from .audience_jobs import AudienceGenerationJob

#: minMatchingSeedSize where a configured audience model gives none (the model's doc).
DEFAULT_MIN_MATCHING_SEED_SIZE = 500
#: A PERCENTAGE audience size is a percentage.
MAX_PERCENTAGE = 100


class AudienceDirectory(BaseBackend):
    """The configured audience models and audience generation jobs of one region, by
    ARN, whichever account holds them."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.configured_models: dict[str, ConfiguredAudienceModel] = {}
        self.generation_jobs: dict[str, AudienceGenerationJob] = {}


# Not an account's state: one directory per region, under moto's default account.
audience_directories = SPEC.backend_dict(AudienceDirectory)


def policy_hash(policy: str) -> str:
    """The hash a policy is known by (SHA-256 of its text, in hex)."""
    return hashlib.sha256(policy.encode()).hexdigest()


def _check_size_config(config: dict[str, Any] | None) -> None:
    if config is None:
        return
    bins = config["audienceSizeBins"]
    repeated = sorted({size for size in bins if bins.count(size) > 1})
    if repeated:
        raise ValidationException(
            f"audienceSizeConfig.audienceSizeBins must be unique: {', '.join(map(str, repeated))} repeated"
        )
    if config["audienceSizeType"] == "PERCENTAGE":
        over = [size for size in bins if size > MAX_PERCENTAGE]
        if over:
            raise ValidationException(
                f"PERCENTAGE audience sizes are 1 to {MAX_PERCENTAGE}: audienceSizeConfig.audienceSizeBins "
                f"has {', '.join(map(str, over))}"
            )


class ConfiguredAudienceModel:
    def __init__(
        self,
        arn: str,
        account_id: str,
        audience_model: AudienceModel,
        tags: dict[str, str],
        *,
        name: str,
        output_config: dict[str, Any],
        shared_audience_metrics: list[str],
        description: str | None,
        min_matching_seed_size: int | None,
        audience_size_config: dict[str, Any] | None,
        child_resource_tag_on_create_policy: str | None,
    ) -> None:
        self.arn = arn
        self.account_id = account_id
        self.audience_model = audience_model
        self.tags = tags
        self.name = name
        self.output_config = output_config
        self.shared_audience_metrics = shared_audience_metrics
        self.description = description
        self.min_matching_seed_size = min_matching_seed_size or DEFAULT_MIN_MATCHING_SEED_SIZE
        self.audience_size_config = audience_size_config
        self.child_resource_tag_on_create_policy = child_resource_tag_on_create_policy or "NONE"
        self.policy: str | None = None
        self.policy_hash: str | None = None
        #: The audience generation jobs started with it, by any member, until deleted.
        self.generation_jobs: Store[AudienceGenerationJob] = Store()
        self.creation_time = self.update_time = now()

    def summary(self) -> dict[str, Any]:
        return present(
            createTime=self.creation_time,
            updateTime=self.update_time,
            name=self.name,
            audienceModelArn=self.audience_model.arn,
            outputConfig=self.output_config,
            description=self.description,
            configuredAudienceModelArn=self.arn,
            status="ACTIVE",
        )

    def detail(self) -> dict[str, Any]:
        return present(
            **self.summary(),
            sharedAudienceMetrics=self.shared_audience_metrics,
            minMatchingSeedSize=self.min_matching_seed_size,
            audienceSizeConfig=self.audience_size_config,
            tags=self.tags,
            childResourceTagOnCreatePolicy=self.child_resource_tag_on_create_policy,
        )

    def policy_detail(self) -> dict[str, Any]:
        if self.policy is None:
            raise ResourceNotFoundException(f"Configured audience model {self.arn} has no policy")
        return {
            "configuredAudienceModelArn": self.arn,
            "configuredAudienceModelPolicy": self.policy,
            "policyHash": self.policy_hash,
        }


class ConfiguredAudienceModelsBackend(AudienceModelsBackend):
    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.configured_audience_models: Store[ConfiguredAudienceModel] = Store()  # by ARN

    @property
    def audience_directory(self) -> AudienceDirectory:
        return audience_directories[DEFAULT_ACCOUNT_ID][self.region_name]

    def _configurable(self, audience_model_arn: str) -> AudienceModel:
        model = self.get_audience_model(audience_model_arn)
        if model.status != "ACTIVE":
            raise ValidationException(
                f"Audience model {model.name} is {model.status}: only an ACTIVE audience model can be configured"
            )
        return model

    def create_configured_audience_model(
        self,
        name: str,
        audience_model_arn: str,
        output_config: dict[str, Any],
        shared_audience_metrics: list[str],
        description: str | None = None,
        min_matching_seed_size: int | None = None,
        audience_size_config: dict[str, Any] | None = None,
        tags: dict[str, str] | None = None,
        child_resource_tag_on_create_policy: str | None = None,
    ) -> ConfiguredAudienceModel:
        model = self._configurable(audience_model_arn)
        _check_size_config(audience_size_config)
        new_tags = TAG_RULES.checked(tags)
        if any(other.name == name for other in self.configured_audience_models):
            raise ConflictException(f"A configured audience model named {name} already exists")
        arn = self.arn(f"configured-audience-model/{resource_id()}")
        configured = ConfiguredAudienceModel(
            arn,
            self.account_id,
            model,
            new_tags,
            name=name,
            output_config=output_config,
            shared_audience_metrics=shared_audience_metrics,
            description=description,
            min_matching_seed_size=min_matching_seed_size,
            audience_size_config=audience_size_config,
            child_resource_tag_on_create_policy=child_resource_tag_on_create_policy,
        )
        self.configured_audience_models.add(arn, configured)
        self.audience_directory.configured_models[arn] = configured
        model.configured_models.append(configured)
        return configured

    def get_configured_audience_model(self, configured_audience_model_arn: str) -> ConfiguredAudienceModel:
        return found(
            self.configured_audience_models.get(configured_audience_model_arn),
            f"Configured audience model {configured_audience_model_arn} not found",
        )

    def list_configured_audience_models(
        self, max_results: int | None = None, next_token: str | None = None
    ) -> Page[ConfiguredAudienceModel]:
        return page(self.configured_audience_models, None, max_results, next_token)

    def update_configured_audience_model(
        self,
        configured_audience_model_arn: str,
        output_config: dict[str, Any] | None = None,
        audience_model_arn: str | None = None,
        shared_audience_metrics: list[str] | None = None,
        min_matching_seed_size: int | None = None,
        audience_size_config: dict[str, Any] | None = None,
        description: str | None = None,
    ) -> ConfiguredAudienceModel:
        configured = self.get_configured_audience_model(configured_audience_model_arn)
        model = None if audience_model_arn is None else self._configurable(audience_model_arn)
        _check_size_config(audience_size_config)
        # Checked: now change (jobs already started keep what they started with).
        if model is not None and model is not configured.audience_model:
            configured.audience_model.configured_models.remove(configured)
            model.configured_models.append(configured)
            configured.audience_model = model
        if output_config is not None:
            configured.output_config = output_config
        if shared_audience_metrics is not None:
            configured.shared_audience_metrics = shared_audience_metrics
        if min_matching_seed_size is not None:
            configured.min_matching_seed_size = min_matching_seed_size
        if audience_size_config is not None:
            configured.audience_size_config = audience_size_config
        if description is not None:
            configured.description = description
        configured.update_time = now()
        return configured

    def delete_configured_audience_model(self, configured_audience_model_arn: str) -> None:
        configured = self.get_configured_audience_model(configured_audience_model_arn)
        # A look at each job's status moves it on (a deleted one leaves the store).
        in_use = [job for job in configured.generation_jobs if job.status != DELETED]
        if in_use:
            names = ", ".join(sorted(job.name for job in in_use))
            raise ConflictException(
                f"Configured audience model {configured.name} cannot be deleted: audience generation jobs "
                f"use it ({names})"
            )
        self.configured_audience_models.remove(configured.arn)
        del self.audience_directory.configured_models[configured.arn]
        configured.audience_model.configured_models.remove(configured)

    # -- its resource policy --------------------------------------------------------------------

    def put_configured_audience_model_policy(
        self,
        configured_audience_model_arn: str,
        configured_audience_model_policy: str,
        previous_policy_hash: str | None = None,
        policy_existence_condition: str | None = None,
    ) -> ConfiguredAudienceModel:
        configured = self.get_configured_audience_model(configured_audience_model_arn)
        try:
            document = json.loads(configured_audience_model_policy)
        except ValueError:
            document = None
        if not isinstance(document, dict):
            raise ValidationException("configuredAudienceModelPolicy must be a JSON policy document (an object)")
        current = configured.policy_hash
        if policy_existence_condition == "POLICY_MUST_EXIST" and current is None:
            raise ValidationException(
                f"policyExistenceCondition is POLICY_MUST_EXIST, but configured audience model {configured.arn} "
                "has no policy"
            )
        if policy_existence_condition == "POLICY_MUST_NOT_EXIST" and current is not None:
            raise ValidationException(
                f"policyExistenceCondition is POLICY_MUST_NOT_EXIST, but configured audience model "
                f"{configured.arn} has a policy"
            )
        if previous_policy_hash is not None and previous_policy_hash != current:
            raise ValidationException(
                f"previousPolicyHash {previous_policy_hash} is not the hash of the current policy of configured "
                f"audience model {configured.arn}"
            )
        configured.policy = configured_audience_model_policy
        configured.policy_hash = policy_hash(configured_audience_model_policy)
        return configured

    def get_configured_audience_model_policy(self, configured_audience_model_arn: str) -> ConfiguredAudienceModel:
        configured = self.get_configured_audience_model(configured_audience_model_arn)
        configured.policy_detail()  # no policy: not found
        return configured

    def delete_configured_audience_model_policy(self, configured_audience_model_arn: str) -> None:
        configured = self.get_configured_audience_model_policy(configured_audience_model_arn)
        configured.policy = configured.policy_hash = None
