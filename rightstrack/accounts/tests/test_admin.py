from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from rightstrack.accounts.models import ApiToken
from rightstrack.test import BaseTestCase, make_recommendation


class AdminTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.root = User.objects.create_superuser("root", "root@example.org", "password")
        self.rec = make_recommendation(recommending_states=["FRA"])
        ApiToken.issue(self.bob, name="scripts")

    def test_it_lists_every_model_of_ours(self) -> None:
        self.client.force_login(self.root)
        ours = [
            m for m in admin.site._registry if m._meta.app_label in ("recommendations", "accounts")
        ]

        for model in ours:
            with self.subTest(model._meta.label):
                url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
                self.assertEqual(self.client.get(url).status_code, 200)
        self.assertGreaterEqual(len(ours), 14)

    def test_it_shows_a_recommendation(self) -> None:
        self.client.force_login(self.root)

        response = self.client.get(
            reverse("admin:recommendations_recommendation_change", args=[self.rec.pk])
        )

        self.assertContains(response, self.rec.text)

    def test_it_refuses_people_who_are_not_staff(self) -> None:
        self.client.force_login(self.alice)

        response = self.client.get(reverse("admin:recommendations_recommendation_changelist"))

        self.assertEqual(response.status_code, 302)
