"""AWS Clean Rooms collaborations and memberships, shared by their members' accounts.

moto keeps each collaboration in its creator's account, so another member's
CreateMembership finds nothing: mlmocks takes the collaboration and membership
operations over (Create/Get/List/Update/Delete of both, ListMembers, and tags on their
ARNs) and keeps the collaborations of a region in one directory every account's backend
there shares (``collaborations.py``). Everything else on the host (configured tables,
their associations, analysis rules, tags of those) is moto's.

Clean Rooms ML reads the memberships through ``mlmocks.core.registry.backends_of``
(never by importing this package). ``control.py`` declares a collaboration without the
Clean Rooms calls (``declare_collaboration``), with the same result.
"""

from mlmocks.core.registry import ServiceSpec

SPEC = ServiceSpec(
    service="cleanrooms",
    # moto's own url base for Clean Rooms, so both sides see the same requests.
    url_bases=(r"https?://cleanrooms\.(.+)\.amazonaws\.com",),
    moto_service="cleanrooms",
    control_methods=("declare_collaboration",),
    # The regions Clean Rooms ML's backends exist in (it reads these collaborations).
    regions_of="ec2",
)
