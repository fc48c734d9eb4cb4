from . import SPEC
from .responses import LookoutVisionResponse

url_bases = list(SPEC.url_bases)

url_paths = {
    "{0}/.*$": LookoutVisionResponse.dispatch,
}
