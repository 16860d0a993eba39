"""The figures the region reads, computed once from the store: the project's targets,
school indicator means, clusters and zones of low quality, the справка's figures.
The regional workbook, the справка and the console print these values; they hold no
layout."""
