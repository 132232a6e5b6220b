"""The letter pipeline for one case: catalogue (the letters, from their `.toml`), the dates a
notice prints, the template context, producing and checking the letters, writing them, and
verifying a produced letter later."""
