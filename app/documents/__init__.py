"""The printed documents of an inspection, as PDF (A4, the bundled CJK font embedded).

``model`` holds the input data; one module per document renders it with
``render_…(doc, dest) -> Path`` (atomic write) and ``…_bytes(doc)`` (preview):
``onsite_record`` (现场检查笔录), ``notice`` (行政检查通知书), ``written_result``
(检查结果告知书), ``rectification`` (责令（限期）改正通知书) and
``supervision_card`` (行政执法案件监督卡). ``qr`` builds and verifies the signed
inspection code (R14) printed on the notice and the card; ``layout`` and ``pdf``
hold the shared look and the page machinery; ``specimen`` builds examples on the
demo data. Nothing is imported here, so importing the model does not load reportlab.
"""
