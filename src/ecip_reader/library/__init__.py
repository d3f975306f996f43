"""Libraries: the catalogue, where documents come from, My documents, policy folders."""
