"""Creating and deleting generations; the rules the studio UI and the APIs share."""

from __future__ import annotations

from django.db import transaction

from vidora.app.studio.models import Generation
from vidora.engine import SPEEDS, STYLES

MAX_PROMPT_CHARS = 2000
SECONDS_CHOICES = (2, 4, 8, 12, 20)  # what the studio offers; the model decides what it can make
MAX_SHOTS = 12
MAX_SHOT_SECONDS = 20
MIN_UPLOAD_STRENGTH = 0.5  # a remix of an uploaded video redraws at least half of it: the result is the model's own


class GenerationRequestError(ValueError):
    """A request the engine would refuse, caught before it is queued; the message names the field."""


def check_options(prompt: str, options: dict) -> None:
    if not prompt.strip() and "shots" not in options:
        raise GenerationRequestError("prompt: describe the video")
    if len(prompt) > MAX_PROMPT_CHARS:
        raise GenerationRequestError(f"prompt: {len(prompt)} characters, the limit is {MAX_PROMPT_CHARS}")
    # Upper limits on seconds and the sizes on offer are the model's: the engine refuses what it cannot make.
    seconds = options.get("seconds")
    if seconds is not None and not 0 < seconds < float("inf"):
        raise GenerationRequestError(f"seconds: must be more than 0, got {seconds}")
    if options.get("style") not in (None, *STYLES):
        raise GenerationRequestError(f"style: must be one of {', '.join(STYLES)}")
    if options.get("speed") not in (None, *SPEEDS):
        raise GenerationRequestError("speed: must be slow, normal or fast")


def create_generation(owner, prompt: str, task: str = Generation.Task.TEXT, options: dict | None = None,
                      input_image=None, source: Generation | None = None, use_credit: bool = False,
                      input_video=None) -> Generation:
    """Save a queued generation and hand it to a worker once the row is committed. Its prompts pass moderation
    before anything is spent; it is paid for from the free daily quota, else (or with ``use_credit``) a credit.
    A remix or extension starts from ``source`` (a finished generation) or ``input_video`` (an upload)."""
    from vidora.app.studio.tasks import run_generation

    from vidora.app.cameos.services import cameos_for, cameos_in_upload, record_uses
    from vidora.app.moderation.services import check_prompts
    from vidora.app.quotas.services import charge

    options = dict(options or {})
    check_options(prompt, options)
    if source is not None and source.status != Generation.Status.COMPLETED:
        raise GenerationRequestError("source: only a finished video can be remixed or extended")
    starts_from_upload = input_video is not None or bool(source and source.uploaded_frames)
    if starts_from_upload and task == Generation.Task.REMIX and options.get("strength", 0.6) < MIN_UPLOAD_STRENGTH:
        raise GenerationRequestError(f"strength: a video you upload is remixed at {MIN_UPLOAD_STRENGTH} or more, "
                                     "so that what comes out is generated")
    # An extension keeps the frames it continues: uploaded ones make it a video that cannot be posted.
    uploaded_frames = task == Generation.Task.EXTEND and starts_from_upload
    generation = Generation(owner=owner, prompt=prompt.strip(), task=task, options=options, source=source,
                            uploaded_frames=uploaded_frames)
    # An upload is checked for the cameos it shows (a copy of a video with one, a verified person's face) like a
    # source video is; refuses cameos the owner may not use.
    sightings = [sighting for name, upload in (("image", input_image), ("video", input_video)) if upload is not None
                 for sighting in cameos_in_upload(upload, name)]
    cameos = cameos_for(owner, texts_of(generation), source, sightings)
    check_prompts(owner, texts_of(generation), cameo_handles=[c.handle for c in cameos.named])
    if input_image is not None:
        generation.input_image.save(input_image.name, input_image, save=False)
    if input_video is not None:
        generation.input_video.save(input_video.name, input_video, save=False)
    with transaction.atomic():
        generation.priority = charge(owner, generation.pk, use_credit)
        generation.save()
        record_uses(generation, cameos)
    transaction.on_commit(lambda: run_generation.delay(generation.id))
    return generation


def texts_of(generation: Generation) -> list[str]:
    """The generation's prompt and its shots' prompts: every text that asks for something."""
    return [generation.prompt] + [shot["prompt"] for shot in generation.options.get("shots", [])]


@transaction.atomic
def edit_generation(generation: Generation, prompt: str | None = None, shots: list[dict] | None = None) -> Generation:
    """Change what a queued generation asks for, under the same rules as a new request."""
    from vidora.app.cameos.services import cameos_of, record_uses
    from vidora.app.moderation.services import check_prompts

    generation = Generation.objects.select_for_update().get(pk=generation.pk)
    if generation.status != Generation.Status.QUEUED:
        raise GenerationRequestError(f"status: only a queued generation can be changed; this one is {generation.status}")
    if shots is not None and generation.task != Generation.Task.STORYBOARD:
        raise GenerationRequestError("storyboard: only a storyboard's shots can be changed")
    generation.prompt = generation.prompt if prompt is None else prompt.strip()
    if shots is not None:
        generation.options = {**generation.options, "shots": shots}
    check_options(generation.prompt, generation.options)
    cameos = cameos_of(generation)
    check_prompts(generation.owner, texts_of(generation), cameo_handles=[c.handle for c in cameos.named])
    record_uses(generation, cameos)
    generation.save(update_fields=["prompt", "options"])
    return generation


def new_generation(owner, prompt: str, *, image=None, video=None, shots: list[dict] | None = None,
                   use_credit: bool = False, **options) -> Generation:
    """Text-, image-, video- or storyboard-to-video, as the studio form and the APIs ask for it: the task follows
    from what is given (``shots``: [{"prompt", "seconds"}], which replace the prompt's seconds; ``video``: an
    uploaded video, extended when ``extend`` is "forward" or "backward", else remixed at ``strength``)."""
    options = {key: value for key, value in options.items() if value not in (None, "")}
    inputs = [name for name, given in (("image", image is not None), ("video", video is not None),
                                       ("storyboard", bool(shots))) if given]
    if len(inputs) > 1:
        raise GenerationRequestError(f"{inputs[-1]}: a video starts from one of an image, a video or a storyboard, "
                                     f"not from {' and '.join(inputs)}")
    if ("extend" in options or "strength" in options) and video is None:
        raise GenerationRequestError(f"{'extend' if 'extend' in options else 'strength'}: needs a video to work on")
    if "extend" in options and "strength" in options:
        raise GenerationRequestError("strength: an extension keeps the video as it is; give extend or strength, not both")
    if shots:
        options.pop("seconds", None)
        options["shots"] = shots
        task = Generation.Task.STORYBOARD
    elif video is not None:
        task = Generation.Task.EXTEND if "extend" in options else Generation.Task.REMIX
        if task == Generation.Task.EXTEND:
            options["direction"] = options.pop("extend")
        else:
            options.pop("seconds", None)  # a remix is as long as its video
    else:
        task = Generation.Task.IMAGE if image is not None else Generation.Task.TEXT
    return create_generation(owner, prompt, task, options, input_image=image, input_video=video, use_credit=use_credit)


def delete_generation(generation: Generation) -> None:
    """Remove the row and its files (a queued job then finds nothing to do)."""
    for file in generation.stored_files():
        file.delete(save=False)
    generation.delete()
