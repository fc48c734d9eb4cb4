from . import SPEC
from .responses import CleanRoomsMLResponse

url_bases = list(SPEC.url_bases)

url_paths = {
    "{0}/.*$": CleanRoomsMLResponse.dispatch,
}
