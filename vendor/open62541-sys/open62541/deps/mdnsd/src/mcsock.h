/*
 * Copyright (c) 2022  Florian Zschocke
 * All rights reserved.
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *     * Redistributions of source code must retain the above copyright
 *       notice, this list of conditions and the following disclaimer.
 *     * Redistributions in binary form must reproduce the above copyright
 *       notice, this list of conditions and the following disclaimer in the
 *       documentation and/or other materials provided with the distribution.
 *     * Neither the name of the copyright holders nor the names of its
 *       contributors may be used to endorse or promote products derived from
 *       this software without specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
 * AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
 * IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE
 * ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDERS OR CONTRIBUTORS BE
 * LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR
 * CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF
 * SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS
 * INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN
 * CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE)
 * ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE
 * POSSIBILITY OF SUCH DAMAGE.
 */

#ifndef MDNSD_MCSOCK_H_
#define MDNSD_MCSOCK_H_

#include <netinet/in.h>  /* in_addr */
#include <net/if.h>      /* IFNAMSIZ */

struct ifnfo {
	char               ifname[IFNAMSIZ]; /**< Interface name */
	int                ifindex;          /**< Physical interface index   */
	struct in_addr     inaddr;           /**< IPv4 address for interface */
};

/**
 * Create multicast socket for mDNS.
 *
 * @param iface  Specify if socket should be bound to specific interface
 * @param ttl    Multicast TTL, 0 for default (1)
 * @return socket file descriptor or <0 in case or error
 */
int mdns_socket(struct ifnfo *iface, unsigned char ttl);

#ifdef ENABLE_IPV6
/**
 * Create an IPv6 mDNS multicast socket joined to ff02::fb on @iface.
 */
int mdns_socket6(struct ifnfo *iface, unsigned char ttl);
#endif

#endif 	/* MDNSD_MCSOCK_H_ */
