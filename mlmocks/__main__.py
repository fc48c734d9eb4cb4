"""``python -m mlmocks``: the same as ``mlmocks-server``."""

from .server import main

main()
