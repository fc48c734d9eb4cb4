from . import SPEC
from .responses import SageMakerResponse

url_bases = list(SPEC.url_bases)

# Every path of the host: SageMakerResponse answers the operations it owns and hands the
# rest to moto's SageMaker. Every SageMaker operation is a POST to "/", which moto's
# server needs spelled out ("/.*" becomes a Flask path rule that needs one character).
url_paths = {
    "{0}/$": SageMakerResponse.dispatch,
    "{0}/.*$": SageMakerResponse.dispatch,
}
