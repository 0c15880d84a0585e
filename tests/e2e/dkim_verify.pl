#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# usage: dkim_verify.pl KEYS MESSAGE
#
# Verifies every DKIM-Signature of MESSAGE with Mail::DKIM
# (libmail-dkim-perl), through a resolver stub that answers from KEYS (lines
# as "mime-dkim --dns" prints them) and never from the network.  LF line
# ends are read as CRLF, as the message goes over SMTP.  Prints one line
# per signature; exits 0 when all verify, 1 when one does not, 2 when
# there is none or on a usage error, and 3 when none failed but one has an
# algorithm this Mail::DKIM cannot check: Debian 12's (1.20230212) knows
# rsa-sha1 and rsa-sha256 only, not ed25519-sha256.
use strict;
use warnings;

use Mail::DKIM::DNS;
use Mail::DKIM::Verifier;
use Net::DNS;

package StubResolver;

sub new {
	my ($class, $keys) = @_;
	return bless { keys => $keys, error => 'NOERROR' }, $class;
}

sub send {
	my ($self, $name, $type) = @_;
	my $packet = Net::DNS::Packet->new($name, $type);
	my $txt = $self->{keys}{lc $name};
	if (defined $txt && uc $type eq 'TXT') {
		$packet->header->rcode('NOERROR');
		$packet->push(answer => Net::DNS::RR->new(name => $name,
		    type => 'TXT', ttl => 60, txtdata => $txt));
	} else {
		$packet->header->rcode('NXDOMAIN');
	}
	return $packet;
}

sub errorstring {
	return $_[0]{error};
}

package main;

die "usage: dkim_verify.pl KEYS MESSAGE\n" unless @ARGV == 2;
my %keys;
open(my $kf, '<', $ARGV[0]) or die "$ARGV[0]: $!\n";
while (<$kf>) {
	next unless /^(\S+?)\.?\s+IN\s+TXT\s+(.*)$/;
	my ($name, $rest) = (lc $1, $2);
	$keys{$name} = [ $rest =~ /"([^"]*)"/g ];
}
close($kf);
Mail::DKIM::DNS::resolver(StubResolver->new(\%keys));

open(my $mf, '<:raw', $ARGV[1]) or die "$ARGV[1]: $!\n";
my $data = do { local $/; <$mf> };
close($mf);
$data =~ s/\r\n/\n/g;
$data =~ s/\n/\r\n/g;
my $dkim = Mail::DKIM::Verifier->new();
$dkim->PRINT($data);
$dkim->CLOSE();
my @sigs = $dkim->signatures;
if (!@sigs) {
	print "Mail::DKIM: no DKIM-Signature\n";
	exit 2;
}
my ($i, $failed, $unchecked) = (0, 0, 0);
for my $sig (@sigs) {
	$i++;
	my $detail = $sig->result_detail;
	print "Mail::DKIM: signature $i: $detail\n";
	if ($detail =~ /^invalid \(unsupported algorithm ed25519-sha256\)$/) {
		$unchecked = 1;
	} elsif ($sig->result ne 'pass') {
		$failed = 1;
	}
}
exit($failed ? 1 : $unchecked ? 3 : 0);
