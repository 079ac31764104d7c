//! Text normalisation shared by the analysers (case folding, leetspeak, spacing).
