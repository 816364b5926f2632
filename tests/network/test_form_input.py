"""What people type or upload cannot smuggle extra lines past the forms or exhaust a worker (issue 7)."""

import io
import json
import os
import struct
import subprocess
import sys
import zlib
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core import mail
from PIL import Image, features

from network.models import Profile
from tests.conftest import need
from tests.factories import MemberFactory, ModeratorFactory, UserFactory
from tests.network.test_membership import APPLICATION
from tests.network.test_profile import valid_data

pytestmark = pytest.mark.django_db

ONE_LINE = "one line, without tabs or special control characters"
TOO_LARGE = "too large"

# Each one slipped between two words of a one-line answer.
UNSAFE_CHARACTERS = {
    "line feed": "\n",
    "carriage return": "\r",
    "header injection": "\r\nBcc: all@example.org",
    "tab": "\t",
    "NUL": "\x00",
    "escape": "\x1b",
    "next line (C1)": "\x85",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
    "right-to-left override": "\u202e",
    "left-to-right embedding": "\u202a",
    "right-to-left isolate": "\u2067",
    "left-to-right mark": "\u200e",
    "arabic letter mark": "\u061c",
    "zero-width space": "\u200b",
    "byte order mark": "\ufeff",
    "soft hyphen": "\u00ad",
    "loose tag letter": "\U000e0041",
}
ORDINARY_NAMES = [
    "Siân O'Brien-Nakamura",
    "محمد",
    "李小龍",
    "Zoë 👩‍👩‍👧",  # ZWJ sequence
    "سارا می\u200cخواهد",  # Persian needs ZWNJ
    "Ngozi 🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",  # England's flag: tag characters
    "Ꭰꮿ Ꮳꮃꭹ",  # Cherokee
    "नमस्ते",  # Devanagari with a virama
]


@pytest.fixture
def applicant(client, home_page):
    ModeratorFactory()
    user = UserFactory(email="jo@example.org")
    client.force_login(user)
    return user


@pytest.fixture
def member(client, home_page):
    member = MemberFactory(profile__handle="amara", profile__display_name="Before")
    client.force_login(member)
    return member


@pytest.mark.parametrize("field", ["display_name", "organisation"])
@pytest.mark.parametrize("char", UNSAFE_CHARACTERS.values(), ids=UNSAFE_CHARACTERS.keys())
def test_an_application_with_a_control_character_on_one_line_is_refused_and_no_moderator_is_told(
    client, applicant, run_on_commit, field, char
):
    with run_on_commit():
        response = client.post("/network/join/", {**APPLICATION, field: f"Jo{char}Bloggs"})

    assert response.status_code == HTTPStatus.OK
    assert ONE_LINE in " ".join(response.context["form"].errors[field])
    assert ONE_LINE in response.content.decode()
    assert not Profile.objects.filter(status=Profile.Status.APPLICANT).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("field", ["display_name", "organisation", "job_title", "pronouns", "interests"])
@pytest.mark.parametrize("char", UNSAFE_CHARACTERS.values(), ids=UNSAFE_CHARACTERS.keys())
def test_a_profile_with_a_control_character_on_one_line_is_refused_and_nothing_saved(
    client, member, run_on_commit, field, char
):
    with run_on_commit():
        response = client.post("/network/profile/", valid_data(**{field: f"peer{char}support"}))

    assert response.status_code == HTTPStatus.OK
    assert ONE_LINE in " ".join(response.context["form"].errors[field])
    assert 'aria-invalid="true"' in response.content.decode()
    profile = Profile.objects.get(pk=member.network_profile.pk)
    assert profile.display_name == "Before" and profile.organisation == "" and profile.job_title == ""
    assert not profile.interests.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("name", ORDINARY_NAMES)
def test_names_in_any_script_with_emoji_are_accepted_and_reach_the_moderators_whole(
    client, applicant, run_on_commit, name
):
    with run_on_commit():
        response = client.post("/network/join/", {**APPLICATION, "display_name": name, "organisation": name})

    assert response.status_code == HTTPStatus.FOUND
    profile = Profile.objects.get(user=applicant)
    assert profile.display_name == name and profile.organisation == name
    assert any(name in message.subject for message in mail.outbox)


@pytest.mark.parametrize("name", ORDINARY_NAMES)
def test_a_profile_in_any_script_with_emoji_is_saved(client, member, name):
    response = client.post(
        # the comma keeps a name with spaces one interest
        "/network/profile/",
        valid_data(display_name=name, job_title=name, interests=f"{name},"),
    )

    assert response.status_code == HTTPStatus.FOUND
    profile = Profile.objects.get(pk=member.network_profile.pk)
    assert profile.display_name == name and profile.job_title == name
    assert list(profile.interests.names()) == [name]


def test_multi_line_answers_keep_their_line_breaks(client, member):
    response = client.post("/network/profile/", valid_data(bio="First line\r\n\tindented\nthird"))

    assert response.status_code == HTTPStatus.FOUND
    assert Profile.objects.get(pk=member.network_profile.pk).bio.splitlines() == [
        "First line",
        "\tindented",
        "third",
    ]


HIDDEN_CONTROLS = ["\x00", "\x1b", "\u202e", "\u2066", "\u200f", "\u061c"]


@pytest.mark.parametrize("char", HIDDEN_CONTROLS)
def test_a_bio_refuses_nul_and_direction_controls(client, member, char):
    response = client.post("/network/profile/", valid_data(bio=f"I love {char}peer\nsupport"))

    assert "control characters" in " ".join(response.context["form"].errors["bio"])
    assert Profile.objects.get(pk=member.network_profile.pk).display_name == "Before"


@pytest.mark.parametrize("char", HIDDEN_CONTROLS)
def test_a_reason_to_join_refuses_nul_and_direction_controls(client, applicant, run_on_commit, char):
    with run_on_commit():
        response = client.post("/network/join/", {**APPLICATION, "reason": f"Because{char}\nof this"})

    assert "control characters" in " ".join(response.context["form"].errors["reason"])
    assert not Profile.objects.filter(status=Profile.Status.APPLICANT).exists()
    assert mail.outbox == []


# --- Avatars: the declared size is checked before anything is decoded ---


def png_declaring(width: int, height: int) -> bytes:
    """A valid black 1-bit PNG: a few KB on the wire, width x height pixels once decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter byte, then the packed bits
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(row * height, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def photo(fmt: str, size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(out, fmt, quality=85)
    return out.getvalue()


def upload(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_a_small_file_declaring_a_huge_image_is_refused_and_nothing_saved(client, member):
    bomb = png_declaring(6_300, 6_300)
    assert len(bomb) < 30_000

    response = client.post("/network/profile/", valid_data(avatar=upload(bomb, "me.png")))

    assert response.status_code == HTTPStatus.OK
    errors = " ".join(response.context["form"].errors["avatar"])
    assert TOO_LARGE in errors and "6,300 × 6,300" in errors
    profile = Profile.objects.get(pk=member.network_profile.pk)
    assert profile.display_name == "Before" and not profile.avatar


# A fresh interpreter checks one upload and reports how far its peak memory (VmHWM) rose above where it
# stood just before. tracemalloc cannot see Pillow's pixel buffers, and the peak a process starts with (its
# start-up's, even its parent's before exec) is far above its resting size, so Linux is asked to reset the
# high-water mark (clear_refs) after warming up.
MEASURE = """
import json, sys
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from network.forms import square_avatar

def check(data):
    try:
        square_avatar(SimpleUploadedFile("upload", data))
    except ValidationError as error:
        return error.messages
    return []

def high_water_mark():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))

check(sys.stdin.buffer.read(int(sys.argv[1])))  # loads Pillow's plugins and codecs before measuring
data = sys.stdin.buffer.read()
try:
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")
    before = high_water_mark()
except (OSError, StopIteration):
    print(json.dumps({"measurable": False}))
    sys.exit()
errors = check(data)
print(json.dumps({"measurable": True, "errors": errors, "peak_growth": high_water_mark() - before}))
"""


def measure_avatar_check(data: bytes) -> dict:
    warm_up = photo("PNG", (600, 450))
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(len(warm_up))],
        input=warm_up + data,
        capture_output=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"},
        timeout=120,
    )
    measured = json.loads(result.stdout.decode().strip().splitlines()[-1])
    need(measured["measurable"], "measuring one check's peak memory needs Linux's /proc/self/clear_refs")
    return measured


@pytest.mark.parametrize(
    ("data", "refused"),
    [
        pytest.param(png_declaring(6_300, 6_300), True, id="6300px PNG declared in a few KB"),
        pytest.param(png_declaring(4_000, 4_000), True, id="4000px square PNG, over 12 megapixels"),
        pytest.param(photo("JPEG", (4_032, 3_024)), False, id="a phone's 12 megapixel JPEG"),
    ],
)
def test_checking_an_avatar_never_costs_a_worker_much_memory(data, refused):
    result = measure_avatar_check(data)

    assert bool(result["errors"]) is refused, result["errors"]
    assert result["peak_growth"] < 50 * 1024 * 1024, f"peak grew {result['peak_growth'] / 2**20:.0f} MiB"


def stored_avatar(member) -> Image.Image:
    profile = Profile.objects.get(pk=member.network_profile.pk)
    with profile.avatar.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    return image


@pytest.mark.parametrize("fmt", ["JPEG", "MPO"])  # MPO: a phone camera's JPEG with a second picture inside
def test_a_normal_photo_still_becomes_a_small_square_jpeg(client, member, fmt):
    response = client.post("/network/profile/", valid_data(avatar=upload(photo(fmt, (1200, 900)), "me.jpg")))

    assert response.status_code == HTTPStatus.FOUND
    image = stored_avatar(member)
    assert image.format == "JPEG" and image.size == (400, 400)


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_an_animated_avatar_keeps_its_first_frame(client, member, fmt):
    if fmt == "WEBP":  # skipped with a reason on a Pillow without WebP; a failure in CI
        need(features.check("webp"), "Pillow built without WebP")
    red, blue = (Image.new("RGB", (600, 600), colour) for colour in ((220, 20, 20), (20, 20, 220)))
    out = io.BytesIO()
    red.save(out, fmt, save_all=True, append_images=[blue] * 5, duration=100, loop=0)

    response = client.post(
        "/network/profile/", valid_data(avatar=upload(out.getvalue(), f"me.{fmt.lower()}"))
    )

    assert response.status_code == HTTPStatus.FOUND
    r, g, b = stored_avatar(member).convert("RGB").getpixel((200, 200))
    assert r > 180 and b < 80


@pytest.mark.parametrize("char", ["\u200b", "\u00ad", "\ufeff", "\u2060", "\u202e"])
def test_a_link_with_an_invisible_character_is_refused(client, member, char):
    response = client.post("/network/profile/", valid_data(links=f"https://nhs{char}.uk/login"))

    assert "control characters" in " ".join(response.context["form"].errors["links"])
    assert Profile.objects.get(pk=member.network_profile.pk).links == ""
