import unittest

from kernel_secrets_provisioner.redaction import REDACTED, Redactor


class RedactTextTest(unittest.TestCase):
    def test_every_occurrence_is_replaced(self) -> None:
        redactor = Redactor(["s3cr3t-value"], min_length=6)
        self.assertEqual(
            redactor.redact_text("a s3cr3t-value b s3cr3t-value"), f"a {REDACTED} b {REDACTED}"
        )

    def test_text_without_a_value_is_the_same_object(self) -> None:
        text = "".join(["nothing ", "to hide"])
        self.assertIs(Redactor(["s3cr3t-value"], min_length=6).redact_text(text), text)

    def test_values_shorter_than_the_minimum_are_not_redacted(self) -> None:
        redactor = Redactor(["yes", "12345", "123456"], min_length=6)
        self.assertEqual(redactor.redact_text("yes 12345 123456"), f"yes 12345 {REDACTED}")

    def test_an_empty_value_is_never_redacted(self) -> None:
        redactor = Redactor([""], min_length=0)
        self.assertFalse(redactor)
        self.assertEqual(redactor.redact_text("text"), "text")

    def test_a_value_containing_another_is_replaced_whole(self) -> None:
        for values in (["token-abcdef", "abcdef"], ["abcdef", "token-abcdef"]):
            redactor = Redactor(values, min_length=6)
            self.assertEqual(
                redactor.redact_text("x token-abcdef y abcdef"), f"x {REDACTED} y {REDACTED}"
            )

    def test_overlapping_values_leave_no_character_of_either(self) -> None:
        redactor = Redactor(["abcdefgh", "efghijkl"], min_length=6)
        self.assertEqual(redactor.redact_text("<abcdefghijkl>"), f"<{REDACTED}>")

    def test_a_value_overlapping_itself_is_covered(self) -> None:
        self.assertEqual(
            Redactor(["aaaaaa"], min_length=6).redact_text("aaaaaaaa!"), f"{REDACTED}!"
        )

    def test_non_ascii_values(self) -> None:
        self.assertEqual(
            Redactor(["pässwörd€"], min_length=6).redact_text("«pässwörd€»"), f"«{REDACTED}»"
        )


class RedactTreeTest(unittest.TestCase):
    def setUp(self) -> None:
        self.redactor = Redactor(["s3cr3t-value"], min_length=6)

    def test_every_string_leaf_of_nested_content(self) -> None:
        content = {
            "data": {"text/plain": "'s3cr3t-value'", "text/html": ["<b>", "s3cr3t-value</b>"]},
            "count": 3,
            "flags": [True, None, 1.5, {"deep": ["x s3cr3t-value"]}],
        }
        self.assertEqual(
            self.redactor.redact_tree(content),
            {
                "data": {"text/plain": f"'{REDACTED}'", "text/html": ["<b>", f"{REDACTED}</b>"]},
                "count": 3,
                "flags": [True, None, 1.5, {"deep": [f"x {REDACTED}"]}],
            },
        )

    def test_keys_are_left_alone(self) -> None:
        self.assertEqual(self.redactor.redact_tree({"s3cr3t-value": 1}), {"s3cr3t-value": 1})

    def test_a_tree_without_a_value_is_the_same_object(self) -> None:
        content = {"data": {"text/plain": "hello"}, "list": ["a", 1, None]}
        self.assertIs(self.redactor.redact_tree(content), content)

    def test_unchanged_branches_of_a_changed_tree_are_kept(self) -> None:
        untouched = {"text/plain": "hello"}
        redacted = self.redactor.redact_tree({"a": untouched, "b": "s3cr3t-value"})
        self.assertIs(redacted["a"], untouched)
        self.assertEqual(redacted["b"], REDACTED)


if __name__ == "__main__":
    unittest.main()
