/* SPDX-License-Identifier: ISC */
/* Errors as values: codes, phrases and the detail of one failure. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mc.h"

const char *
mc_strerror(enum mc_err code)
{
	switch (code) {
	case MC_OK:		return "success";
	case MC_ENOMEM:		return "out of memory";
	case MC_EUSAGE:		return "invalid argument";
	case MC_EDATA:		return "invalid input data";
	case MC_ENOINPUT:	return "cannot open input";
	case MC_ECREATE:	return "cannot create output";
	case MC_EIO:		return "input/output error";
	case MC_EUNAVAIL:	return "crypto engine unavailable";
	}
	return "unknown error";
}

const char *
mc_error_reason(const struct mc_error *err)
{
	if (err->detail[0] != '\0')
		return err->detail;
	if (err->sys != 0)
		return strerror(err->sys);
	return mc_strerror(err->code);
}

enum mc_err
mc_fail(struct mc_error *err, enum mc_err code, int sys, const char *what,
    const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	err->sys = sys;
	snprintf(err->what, sizeof(err->what), "%s", what ? what : "");
	err->detail[0] = '\0';
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
		va_end(ap);
	}
	return code;
}
