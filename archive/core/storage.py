"""File storage that no URL serves: families' attachments and the evidentiary copies of
source documents. They reach readers only through views that check who asks (a staff
permission, or the public rule of a document), never through a media URL."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class UnservedStorage(FileSystemStorage):
    """Files under the directory named by the setting ``ROOT_SETTING`` (read when used, so
    tests may move it), written with ``FILE_MODE``/``DIRECTORY_MODE``; ``url()`` refuses,
    saying ``REFUSAL``."""

    ROOT_SETTING = ""
    FILE_MODE = 0o600
    DIRECTORY_MODE = 0o700
    REFUSAL = "These files have no URL."

    def __init__(self):
        super().__init__(
            file_permissions_mode=self.FILE_MODE, directory_permissions_mode=self.DIRECTORY_MODE
        )

    @property
    def base_location(self):
        return str(getattr(settings, self.ROOT_SETTING))

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError(self.REFUSAL)
