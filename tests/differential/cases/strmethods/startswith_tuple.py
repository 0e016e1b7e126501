name = "invoice_2026.pdf"
print(name.endswith((".pdf", ".doc")), name.startswith(("inv", "bill")), name.startswith("voice", 2), name.endswith("2026", 0, 12))
