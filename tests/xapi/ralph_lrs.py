"""Run ralph's LRS (ralph-malph) on a listening socket the tests hand over, storing on disk.

Run by .venv-lrs/bin/python, never imported by the tests. ralph's file-system LRS backend
writes each request's statements in its CREATE mode, which refuses a file that exists, so
only the first POST of a run would be stored (ralph-malph 5.1.0: "fs_lrs.jsonl already exists
and overwrite is not allowed"). Its data backend also has an APPEND mode; this launcher makes
that the LRS backend's mode and changes nothing else: validation, authentication, duplicate
and conflict checks and queries are ralph's own.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", fd=int(sys.argv[1]), access_log=False)
