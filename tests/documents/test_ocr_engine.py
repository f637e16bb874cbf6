"""How the OCR engine is built (qa.documents.ocr): the detector's size, the recogniser's lanes."""

from __future__ import annotations

from typing import Any

import numpy as np

from qa.documents.ocr import EngineSettings, _Lanes, build_engine


class WidthReader:
    """A stand-in recogniser (RapidOCR's TextRecognizer contract): reads each crop's width."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    def __call__(self, crops: list[Any], return_word_box: bool = False
                 ) -> tuple[list[tuple[str, float]], float]:
        self.calls.append([crop.shape[1] for crop in crops])
        return [(str(crop.shape[1]), 0.9) for crop in crops], 0.01


def test_lines_read_in_lanes_come_back_in_their_places() -> None:
    widths = [300, 40, 960, 120, 960, 48, 700]
    crops = [np.zeros((48, width, 3), np.uint8) for width in widths]
    reader = WidthReader()
    texts, _ = _Lanes(reader, 2)(crops)
    assert [text for text, _ in texts] == [str(width) for width in widths]
    # Dealt out by width, so the long lines are shared between the lanes.
    assert sorted(reader.calls) == [[40, 120, 700, 960], [48, 300, 960]]


def test_the_detector_sees_a_page_at_its_settings_size_not_rapidocrs() -> None:
    # rapidocr-onnxruntime 1.x sizes a page over 1500 px to 2000 whatever it is told.
    engine = build_engine(EngineSettings(det_side=960))
    page = np.full((1754, 1240, 3), 255, np.uint8)
    seen = engine.text_det.get_preprocess(max(page.shape))(page)
    assert max(seen.shape[2:]) == 960
