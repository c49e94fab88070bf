"""engage: rank engagement options from TOML files by benefit, feasibility and linkage."""

__version__ = "0.1.0"
