"""The embedded broker: kombu's filesystem transport, each message written whole before a worker can take it.

kombu creates a message's file in the queue folder and then writes it. A worker listing the
folder in between takes the empty file, cannot decode it and stops ("Unrecoverable error:
JSONDecodeError", kombu issue #1551; seen here when the beat's tick met the worker's poll).
Here the message is written under a name the queue never lists, then renamed into place:
a rename within one folder is atomic, so a worker finds a message whole or not at all.
"""

import os
import time
import uuid

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


# A partial message older than this was left by a process stopped while writing it: none takes so long.
STALE_PARTIAL_SECONDS = 600


class Channel(filesystem.Channel):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._remove_stale_partials()

    def _remove_stale_partials(self):
        cutoff = time.time() - STALE_PARTIAL_SECONDS
        try:
            entries = list(os.scandir(self.data_folder_out))
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith(".") and entry.name.endswith(".msg.part"):
                try:
                    if entry.stat().st_mtime < cutoff:
                        os.remove(entry.path)
                except OSError:
                    # Another process removed it first.
                    pass

    def _put(self, queue, payload, **kwargs):
        # kombu's name: the queue lists its folder in this order and takes the files named for it.
        name = f"{int(round(time.monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # Starts with a dot: split at its first dot, it names no queue.
        partial = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            if os.path.exists(partial):
                os.remove(partial)
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
