"""Demo content for academy: lecture scripts and generated lecture media."""
