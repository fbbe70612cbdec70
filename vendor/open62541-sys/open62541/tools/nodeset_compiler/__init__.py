__all__ = ["datatypes", "nodeset", "nodes"]
