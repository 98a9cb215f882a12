/* store_share.c - one database for a shop's staff: the group's folder.
 *
 * Several staff members log in as their own Unix users and open the same
 * database.  The shop names its group (general.group), and its folder is
 * set-group-ID and that group's (README, "Running a shop"): everything
 * made in it belongs to the group, so the database is made 0660 there
 * instead of 0600, and SQLite gives its -wal and -shm files the
 * database's mode.  Elsewhere the database stays private to its owner:
 * a set-group-ID folder alone is no sign of a shop (Debian's /usr/local
 * folders are set-group-ID for the group staff), and customers' data must
 * not become readable by whatever group such a folder has. */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "cpsreg/err.h"
#include "cpsreg/i18n.h"
#include "cpsreg/store.h"
#include "store_private.h"

#define SHARED_DIR_MODE 02770
#define SHARED_FILE_MODE 0660
#define PRIVATE_FILE_MODE 0600

/* The folder part of path ("." for a bare name). */
static void folder_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, len, ".");
	else if (slash == path)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

/* The id of the group named, or -1 when there is none (or no name). */
static int group_id(const char *group, gid_t *gid)
{
	struct group gr, *found = NULL;
	char buf[4096];

	if (!group || !*group ||
	    getgrnam_r(group, &gr, buf, sizeof(buf), &found) != 0 || !found)
		return -1;
	*gid = found->gr_gid;
	return 0;
}

int cps_store_shared_folder(const char *path, const char *group, gid_t *gid)
{
	char dir[PATH_MAX];
	struct stat st;
	gid_t shop;

	if (group_id(group, &shop) != 0)
		return 0;
	folder_of(path, dir, sizeof(dir));
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || !(st.st_mode & S_ISGID) ||
	    st.st_gid != shop)
		return 0;
	if (gid)
		*gid = st.st_gid;
	return 1;
}

mode_t cps_store_file_mode(const char *path, const char *group)
{
	return cps_store_shared_folder(path, group, NULL) ? SHARED_FILE_MODE
							  : PRIVATE_FILE_MODE;
}

void cps_store_share_new_folder(const char *dir, const char *group)
{
	struct stat st;
	gid_t shop;

	/* Linux hands the set-group-ID bit and the group down to a new
	 * folder: below the shop's folder, it is the shop's too, and must let
	 * the group in */
	if (group_id(group, &shop) == 0 && stat(dir, &st) == 0 &&
	    (st.st_mode & S_ISGID) && st.st_gid == shop)
		chmod(dir, SHARED_DIR_MODE);
}

/* Lets the group read and write one of our own files of the database. */
static void share_one(const char *file, gid_t gid)
{
	struct stat st;

	if (stat(file, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid())
		return;
	/* failures leave the file as it was: the next user's open says why */
	if (st.st_gid != gid && chown(file, (uid_t)-1, gid) != 0)
		return;
	if ((st.st_mode & 0777) != SHARED_FILE_MODE)
		chmod(file, SHARED_FILE_MODE);
}

void cps_store_share_existing(const char *path, const char *group)
{
	char side[PATH_MAX + 8];
	gid_t gid;

	if (!cps_store_shared_folder(path, group, &gid))
		return;
	share_one(path, gid);
	snprintf(side, sizeof(side), "%s-wal", path);
	share_one(side, gid);
	snprintf(side, sizeof(side), "%s-shm", path);
	share_one(side, gid);
}

enum cps_err cps_store_share_folder(const char *db_path, const char *group,
				    struct cps_error *err)
{
	char dir[PATH_MAX];
	struct group gr, *found = NULL;
	char buf[4096];
	struct stat st;

	if (!db_path || !group || !*group)
		return CPS_OK;
	if (getgrnam_r(group, &gr, buf, sizeof(buf), &found) != 0 || !found)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("general.group: there is no group %s on this machine"), group);
	folder_of(db_path, dir, sizeof(dir));
	if (mkdir(dir, SHARED_DIR_MODE) != 0 && errno != EEXIST) {
		/* a missing parent: make the parents the usual way first */
		char probe[PATH_MAX + 16];
		enum cps_err rc;

		snprintf(probe, sizeof(probe), "%s/x", dir);
		rc = cps_store_make_parents(probe, group, err);
		if (rc != CPS_OK)
			return rc;
	}
	if (stat(dir, &st) != 0)
		return cps_error_set(err, CPS_ERR_IO, _("cannot read the folder %s: %s"),
				     dir, strerror(errno));
	if (st.st_gid == found->gr_gid && (st.st_mode & 07777) == SHARED_DIR_MODE)
		return CPS_OK;
	/* only the owner may put it right; anyone else is told how */
	if (st.st_uid == geteuid() &&
	    (st.st_gid == found->gr_gid || chown(dir, (uid_t)-1, found->gr_gid) == 0) &&
	    chmod(dir, SHARED_DIR_MODE) == 0)
		return CPS_OK;
	return cps_error_set(err, CPS_ERR_IO,
		_("the data folder %s must belong to the group %s with mode 2770 so that every staff member can use the database; its owner (or root) can run: chgrp %s %s && chmod 2770 %s"),
		dir, group, group, dir, dir);
}
