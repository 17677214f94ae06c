<#-- NOTICE of the release archive, written by license-maven-plugin (add-third-party) from the
     dependencies of dist/pom.xml at build time. -->
paritysync
Copyright 2026 the paritysync authors

This product is licensed under the Apache License, Version 2.0 (see LICENSE).

lib/paritysync.jar bundles the third-party libraries below, each under its own licence as
declared in its published POM (name, group:artifact:version, licences):

<#list dependencyMap as e>
<#assign p = e.getKey()/>
<#assign licenses = e.getValue()/>
<#if p.groupId != "dev.paritysync">
  ${p.name!p.artifactId} (${p.groupId}:${p.artifactId}:${p.version}) - <#list licenses as l>${l}<#sep>; </#sep></#list>
</#if>
</#list>

The texts of these licences are in the libraries' own distributions; the bundled jar keeps the
licence and notice files they ship under META-INF/.
