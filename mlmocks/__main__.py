"""``python -m mlmocks``: the same as ``mlmocks-server``.

``python -m mlmocks data-path`` prints the shell line that lets the AWS CLI find the
service models mlmocks ships: ``eval "$(python -m mlmocks data-path)"``.
"""

import sys

if sys.argv[1:2] == ["data-path"]:
    from .data import shell_export

    print(shell_export())
else:
    from .server import main

    main()
