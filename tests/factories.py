"""factory_boy factories shared by the suite."""

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from network import roles
from network.models import Profile

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """A verified primary address, as allauth requires before sign-in (pass verified=False to skip)."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    groups = factory.PostGeneration(
        lambda user, create, extracted, **kw: _set_groups(user, create, extracted)
    )

    @factory.post_generation
    def profile(self, create, extracted, **kwargs):
        """UserFactory(profile=Profile.Status.APPLICANT) gives a plain user a profile in that status."""
        if create and extracted:
            ProfileFactory(user=self, status=extracted, **kwargs)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    display_name = factory.LazyAttribute(lambda p: f"{p.user.first_name} {p.user.last_name}")
    handle = factory.Sequence(lambda n: f"member-{n}")
    status = Profile.Status.MEMBER
    relationship = Profile.Relationship.PRACTITIONER
    region = Profile.Region.LONDON


def _in_groups(*default):
    """A post-generation step putting the user in `default` groups unless the call names others."""
    return factory.PostGeneration(
        lambda user, create, extracted, **kw: _set_groups(
            user, create, default if extracted is None else extracted
        )
    )


def _set_groups(user, create, names) -> None:
    if create and names:
        user.groups.set(Group.objects.filter(name__in=names))


class MemberFactory(UserFactory):
    """An approved member: in the Members group, with a member profile."""

    groups = _in_groups(roles.MEMBERS)
    profile = factory.PostGeneration(
        lambda user, create, extracted, **kw: _with_profile(user, create, extracted, kw)
    )


def _with_profile(user, create, status, fields) -> None:
    if create:
        ProfileFactory(user=user, status=status or Profile.Status.MEMBER, **fields)


class HostFactory(MemberFactory):
    groups = _in_groups(roles.MEMBERS, roles.HOSTS)


class ModeratorFactory(MemberFactory):
    groups = _in_groups(roles.MEMBERS, roles.MODERATORS)


class EditorFactory(MemberFactory):
    groups = _in_groups(roles.MEMBERS, roles.EDITORS)


class StudyVisitFactory(factory.django.DjangoModelFactory):
    """A published visit ten days ahead; pass page= (any Wagtail page, e.g. the home_page fixture)."""

    class Meta:
        model = "visits.StudyVisit"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"A day with a GP-linked time bank ({n})")
    host = factory.SubFactory(HostFactory)
    description = "Meet the time bank's broker and members, and see how a GP practice refers people."
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=10)).replace(hour=9, minute=30, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda visit: visit.starts_at + timedelta(hours=5))
    venue = "Rushey Green Group Practice"
    address = "Hawstead Road, London SE6 4JH"
    capacity = 15
    status = "published"
    published_at = factory.LazyFunction(timezone.now)


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking written straight to the table (tests of booking itself go through visits.services)."""

    class Meta:
        model = "visits.Booking"

    visit = factory.SubFactory(StudyVisitFactory)
    member = factory.SubFactory(MemberFactory)
    status = "confirmed"
    answers = factory.LazyFunction(lambda: {"access_needs": "", "dietary_needs": "", "organisation": ""})
