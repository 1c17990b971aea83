import sys

from vidora.cli import main

sys.exit(main())
