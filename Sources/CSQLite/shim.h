// Debian's libsqlite3-dev header; the module map links libsqlite3.
#include <sqlite3.h>
