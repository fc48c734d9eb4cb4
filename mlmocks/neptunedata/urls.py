from . import SPEC
from .responses import NeptuneDataResponse

url_bases = list(SPEC.url_bases)

url_paths = {
    "{0}/.*$": NeptuneDataResponse.dispatch,
}
