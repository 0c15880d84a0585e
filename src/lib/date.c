/* SPDX-License-Identifier: ISC */
/* Dates: RFC 5322 3.3 (date-time), 4.3 (obsolete date and zone forms). */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "mc.h"

#define DATE_MAX	40
/* 9999-12-31T00:00:00Z: the year keeps 4 digits in every time zone. */
#define EPOCH_MAX	253402214400LL

static const char days[7][4] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/* RFC 5322 4.3: obsolete zone names, as minutes east of UTC. */
static const struct {
	const char *name;
	int off;
} zones[] = {
	{ "UT", 0 }, { "GMT", 0 },
	{ "EST", -5 * 60 }, { "EDT", -4 * 60 },
	{ "CST", -6 * 60 }, { "CDT", -5 * 60 },
	{ "MST", -7 * 60 }, { "MDT", -6 * 60 },
	{ "PST", -8 * 60 }, { "PDT", -7 * 60 },
};

static void
put(char *out, int wday, int mday, int mon, int year, int hh, int mm,
    int ss, char sign, int zone)
{
	/* The values are in range; the modulos tell the compiler so. */
	snprintf(out, DATE_MAX, "%s, %02u %s %04u %02u:%02u:%02u %c%02u%02u",
	    days[wday], (unsigned)mday % 100, months[mon],
	    (unsigned)year % 10000, (unsigned)hh % 100, (unsigned)mm % 100,
	    (unsigned)ss % 100, sign, (unsigned)zone / 60 % 100,
	    (unsigned)zone % 60);
}

void
mc_date_format(char *out, time_t t, int utc)
{
	struct tm tm;
	long off = 0;

	/* RFC 5322 3.3: a year of four digits, 1900 or later. */
	if ((utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)) == NULL ||
	    tm.tm_year < 0 || tm.tm_year > 9999 - 1900) {
		t = 0;
		utc = 1;
		gmtime_r(&t, &tm);
	}
	if (!utc)
		off = tm.tm_gmtoff / 60;
	put(out, tm.tm_wday, tm.tm_mday, tm.tm_mon, tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+',
	    (int)(off < 0 ? -off : off));
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
mdays(int mon, int year)
{
	static const int n[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return mon == 1 && leap(year) ? 29 : n[mon];
}

/* Day of the week (0 = Sunday) of a Gregorian date. */
static int
weekday(int y, int m, int d)
{
	static const int t[12] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };

	if (m < 3)
		y--;
	return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

/* CFWS (RFC 5322 3.2.2): 1 when some was skipped, 0 when none, -1 for an
 * unbalanced or too deep comment. */
static int
cfws(const char **pp)
{
	int r = mc_cfws(pp, NULL);

	return r < 0 ? -1 : r;
}

/* min to max decimal digits into *v; the count, or -1. */
static int
digits(const char **pp, int min, int max, int *v)
{
	const char *p = *pp;
	int n = 0;

	*v = 0;
	while (*p >= '0' && *p <= '9') {
		if (++n > max)
			return -1;
		*v = *v * 10 + (*p++ - '0');
	}
	if (n < min)
		return -1;
	*pp = p;
	return n;
}

static int
alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
lookup(const char **pp, const char (*tab)[4], int ntab)
{
	const char *p = *pp;
	int i;

	for (i = 0; i < ntab; i++)
		if (strncasecmp(tab[i], p, 3) == 0 && !alpha(p[3])) {
			*pp = p + 3;
			return i;
		}
	return -1;
}

/* zone: +HHMM / -HHMM, or an obsolete name; minutes east in *off, the
 * sign in *sign ("-0000" is kept: RFC 5322 3.3, no known offset). */
static int
zone(const char **pp, char *sign, int *off)
{
	const char *p = *pp;
	size_t i, n;
	int v;

	if (*p == '+' || *p == '-') {
		*sign = *p++;
		if (digits(&p, 4, 4, &v) == -1 || v % 100 > 59)
			return -1;
		*off = v / 100 * 60 + v % 100;
		*pp = p;
		return 0;
	}
	for (n = 0; alpha(p[n]); n++)
		if (n == 3)
			return -1;
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strlen(zones[i].name) == n &&
		    strncasecmp(zones[i].name, p, n) == 0) {
			*sign = zones[i].off < 0 ? '-' : '+';
			*off = zones[i].off < 0 ? -zones[i].off : zones[i].off;
			*pp = p + n;
			return 0;
		}
	/* RFC 5322 4.3: military zones (but "J") mean "-0000". */
	if (n == 1 && *p != 'J' && *p != 'j') {
		*sign = '-';
		*off = 0;
		*pp = p + 1;
		return 0;
	}
	return -1;
}

static int
epoch(char *out, const char *s, int utc)
{
	long long v = 0;
	int n = 0;

	for (; *s >= '0' && *s <= '9'; s++) {
		if (++n > 15)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (n == 0 || *s != '\0' || v > EPOCH_MAX || (long long)(time_t)v != v)
		return -1;
	mc_date_format(out, (time_t)v, utc);
	return 0;
}

int
mc_date_normalize(char *out, const char *in, int utc)
{
	const char *p = in;
	int dow = -1, day, mon, year, ny, hh, mm, ss = 0, off, r;
	char sign;

	if (*p == '@')
		return epoch(out, p + 1, utc);
	if (cfws(&p) == -1)
		return -1;
	if (alpha(*p)) {
		if ((dow = lookup(&p, days, 7)) == -1 || cfws(&p) == -1 ||
		    *p++ != ',' || cfws(&p) == -1)
			return -1;
	}
	/* RFC 5322 3.3 and 4.3: FWS (or CFWS) parts the date's fields. */
	if (digits(&p, 1, 2, &day) == -1 || cfws(&p) != 1 ||
	    (mon = lookup(&p, months, 12)) == -1 || cfws(&p) != 1 ||
	    (ny = digits(&p, 2, 4, &year)) == -1 || cfws(&p) != 1)
		return -1;
	/* RFC 5322 4.3: two-digit years from 1950, three-digit ones from
	 * 1900. */
	if (ny == 2)
		year += year < 50 ? 2000 : 1900;
	else if (ny == 3)
		year += 1900;
	if (digits(&p, 2, 2, &hh) == -1 || cfws(&p) == -1 || *p++ != ':' ||
	    cfws(&p) == -1 || digits(&p, 2, 2, &mm) == -1 ||
	    (r = cfws(&p)) == -1)
		return -1;
	if (*p == ':') {
		p++;
		if (cfws(&p) == -1 || digits(&p, 2, 2, &ss) == -1 ||
		    (r = cfws(&p)) == -1)
			return -1;
	}
	if (r != 1 || zone(&p, &sign, &off) == -1 || cfws(&p) == -1 ||
	    *p != '\0')
		return -1;
	/* RFC 5322 3.3 allows second 60 (a leap second), but many readers
	 * (Python's datetime among them) cannot represent it. */
	if (year < 1900 || day < 1 || day > mdays(mon, year) || hh > 23 ||
	    mm > 59 || ss > 59)
		return -1;
	if (dow != -1 && dow != weekday(year, mon + 1, day))
		return -1;
	put(out, weekday(year, mon + 1, day), day, mon, year, hh, mm, ss,
	    sign, off);
	return 0;
}
