// libxml2's parser. Debian builds libxml2 with ICU, whose headers clash with the ICU
// inside Foundation; chainmap uses no ICU part of libxml2 (only pointers to its
// encoding handlers), so the ICU declarations are left out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
