print("xyhelloyx".strip("xy"), "www.example.com".lstrip("w."), "file.txt...".rstrip("."), "\t\n text \r\n".strip(), "  ".strip() == "")
