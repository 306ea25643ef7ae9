// zlib, for the CRC-32 of each unzipped workbook part (ZIPFoundation's own check on Linux is a byte-at-a-time loop).
#include <zlib.h>
