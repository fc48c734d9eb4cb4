from . import SPEC
from .responses import CleanRoomsResponse

url_bases = list(SPEC.url_bases)

url_paths = {
    "{0}/.*$": CleanRoomsResponse.dispatch,
}
