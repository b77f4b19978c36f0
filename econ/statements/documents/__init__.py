"""One module per printable document; each exposes a `render_*(data, page_size) -> bytes`."""
