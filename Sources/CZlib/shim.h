// zlib, for reading gzip-compressed market-data captures without unpacking them first.
#include <zlib.h>
