"""Errors a user can act on, as opposed to bugs."""


class UserFacingError(Exception):
    """Raised with a message already translated for the person at the keyboard.

    The CLI prints it as one line on stderr; the GUI shows it in a message box.
    Anything that is not a UserFacingError is a bug and gets a crash report.
    """

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(UserFacingError):
    """Input that breaks a rule; `problems` lists every rule broken, not just the first."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return self.message + " " + "; ".join(self.problems)


class NotFoundError(UserFacingError):
    """A named thing (round, rubric, region) does not exist."""


class StoreError(UserFacingError):
    """The profile's database cannot be used as it is (corrupt, foreign, newer, locked)."""

    exit_code = 3


class DamagedStoreError(StoreError):
    """The database file itself is damaged (SQLite's own checks fail): a backup can help."""

    def __init__(self, message: str, path: object, detail: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.detail = detail  # SQLite's finding, untranslated
