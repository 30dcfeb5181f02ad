traffic
