"""Drawing one page in the render worker and packing its samples for the window.

Runs in the worker process only (it calls PyMuPDF).
"""

from __future__ import annotations

from typing import Any

from ecip_reader.pdf.page_geometry import unturn_box
from ecip_reader.pdf.render_protocol import Rendered, RenderJob
from ecip_reader.pdf.sample_ring import RingAllocator


def draw_page(handle: Any, size: tuple[float, float], job: RenderJob) -> Any:
    """A ``pymupdf.Pixmap`` (RGB) of the page or part of it that ``job`` asks for.

    ``size`` is the page's displayed size in points; the pixel count is capped
    at ``job.max_pixels`` whatever the zoom.
    """
    import pymupdf

    from ecip_reader.pdf.document import render_zoom

    width, height = size
    clip = None
    if job.clip is not None:
        box = pymupdf.Rect(unturn_box(job.clip, job.rotation))
        clip = box * pymupdf.Matrix(width, height)
    shown_w, shown_h = (clip.width, clip.height) if clip is not None else (width, height)
    zoom = render_zoom(max(shown_w, 1), max(shown_h, 1), max(job.zoom, 0.01), job.max_pixels)
    page = handle[job.page]
    matrix = pymupdf.Matrix(zoom, zoom).prerotate(job.rotation % 360)
    return page.get_pixmap(matrix=matrix, alpha=False, colorspace=pymupdf.csRGB, clip=clip)


def pack_samples(
    pix: Any,
    job: RenderJob,
    doc_id: int,
    ring: memoryview | None,
    alloc: RingAllocator | None,
) -> Rendered:
    """The reply for a drawn page: its samples in the shared ring if there is room, else inline."""
    samples = pix.samples_mv
    nbytes = len(samples)
    offset = None
    if alloc is not None and ring is not None:
        offset = alloc.allocate(job.req_id, nbytes)
    if offset is not None and ring is not None:
        ring[offset : offset + nbytes] = samples
        payload = None
    else:
        offset, payload = 0, bytes(samples)
    return Rendered(
        job.req_id, doc_id, job.page, pix.width, pix.height, pix.stride, offset, nbytes, payload
    )
