"""The Vidora world's named characters as cameos everyone may use, each under its lower-cased name."""

from django.db import migrations


def add_world_characters(apps, schema_editor):
    from vidora.world.characters import roster  # fixed by design: the same characters in every release

    Cameo = apps.get_model("cameos", "Cameo")
    Cameo.objects.bulk_create([
        Cameo(handle=character.name.lower(), name=character.name, kind="world", status="active", audience="everyone",
              world_character=character.index)
        for character in roster()
    ], ignore_conflicts=True)


def remove_world_characters(apps, schema_editor):
    apps.get_model("cameos", "Cameo").objects.filter(kind="world").delete()


class Migration(migrations.Migration):
    dependencies = [("cameos", "0001_initial")]
    operations = [migrations.RunPython(add_world_characters, remove_world_characters)]
