"""Development: the demo that `make run` serves."""

from .base import *  # noqa: F403
from .base import env

DEBUG = True
SECRET_KEY = env("SECRET_KEY", default="dev-only-key-never-use-in-production-coproduce")
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=False)  # the demo's editors go straight in
