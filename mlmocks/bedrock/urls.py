from . import SPEC
from .responses import BedrockResponse

url_bases = list(SPEC.url_bases)

# Every path of the host: BedrockResponse answers the operations it owns and hands the
# rest to moto's Bedrock.
url_paths = {
    "{0}/.*$": BedrockResponse.dispatch,
}
