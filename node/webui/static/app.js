/* Pigeon web client, bundled from js/ (go generate). Includes Preact (MIT) and htm (Apache-2.0): vendor/LICENSE-preact.txt, vendor/LICENSE-htm.txt. */
var T,un,gs,re,ht,He,pn,We,dn,_t,gt,_s,Te=Symbol.for("pv"),Ge={},ze=[],ys=/^m(i|n|o|s|text|space)$/,yt=Array.isArray,$t=ze.slice,me=Object.assign;function fe(e){e&&e.parentNode&&e.remove()}function fn(e,t,n){var o,a,s,i={},c=arguments.length;for(s in t)s=="key"?o=t[s]:s=="ref"&&typeof e!="function"?a=t[s]:i[s]=t[s];return c>2&&(i.children=c>3?$t.call(arguments,2):n),De(e,i,o,a,null)}function De(e,t,n,o,a){var s={type:e,props:t,key:n,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:Te,__v:a||++un,__i:-1,__u:0};return!a&&T.vnode&&T.vnode(s),s}function Re(e){return e.children}function ce(e,t){this.props=e,this.context=t,this.__g=0}function le(e,t){if(t==null)return e.__&&le(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!="function"||e.props.__P?null:le(e)}function $s(e){var t,n=e.__v,o=n.__e,a=[],s=[],i=e.__P;i&&((t=me({constructor:Te},n)).__v=n.__v+1,T.vnode&&T.vnode(t),vt(i,t,n,e.__n,i.namespaceURI,32&n.__u?[o]:null,a,o||le(n),32&n.__u,s),t.__v=n.__v,t.__.__k[t.__i]=t,$n(a,t,s),n.__=n.__e=null,t.__e!=o&&mn(t))}function mn(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),mn(e)}function cn(e){(8&e.__g||(e.__g|=8,re.push(e),He++))&&ht==T.debounceRendering||((ht=T.debounceRendering)||queueMicrotask)(hn)}function hn(){try{for(var e,t=1;re.length;)re.length>t&&re.sort(pn),e=re.shift(),t=re.length,8&e.__g&&$s(e)}finally{(He=re.length)&&(ht||queueMicrotask)(hn)}}function gn(e,t,n,o,a,s,i,c,u,f,l){var m,h,d,$,_,w,k=o.__k||ze,C=t.length;for(u=vs(n,t,k,u,C),m=0;m<C;m++)(d=n.__k[m])!=null&&(h=~d.__i&&k[d.__i]||Ge,d.__i=m,w=vt(e,d,h,a,s,i,c,u,f,l),$=d.__e,(h.ref!=d.ref||8&h.__u)&&(h.ref&&bt(h.ref,null,d,h),d.ref&&l.push(d.ref,d.__c||$,d)),_=_||$,4&d.__u?(u=_n(d,u,e,!h.__v),h.__e&&(h.__e=null)):typeof d.type=="function"&&w!==void 0?u=w:$&&(u=$.nextSibling),d.__u&=-21);return n.__e=_,u}function vs(e,t,n,o,a){var s,i,c,u,f,l,m,h,d,$=n.length,_=$,w=0,k=0,C=e.__k=Array(a);for(s=0;s<a;s++)(i=t[s])!=null&&typeof i!="boolean"&&typeof i!="function"?(typeof i!="object"||i.constructor===String?i=C[s]=De(null,i):yt(i)?i=C[s]=De(Re,{children:i}):i.constructor===Te&&i.__b?i=C[s]=De(i.type,i.props,i.key,i.ref,i.__v):C[s]=i,u=s+w,i.__=e,i.__b=e.__b+1,c=null,~(f=i.__i=bs(i,n,u,_))&&(_--,(c=n[f])&&(c.__u|=2)),c&&c.__v?(i.__u|=16,f==u-1?w--:f==u+1?w++:f!=u&&(f>u?w--:w++,k=1)):(~f||(a>$?w--:a<$&&w++),typeof i.type!="function"&&(i.__u|=4))):C[s]=null;if(k){for(l=[],m=[],s=0;s<a;s++)if((i=C[s])&&16&i.__u){for(w=0,h=l.length;w<h;)l[d=w+h>>1]<i.__i?w=d+1:h=d;l[w]=i.__i,m[s]=w+1}for(w=l.length;s--;)m[s]&&(m[s]==w?w--:C[s].__u|=4)}if(_)for(s=0;s<$;s++)!(c=n[s])||2&c.__u||(c.__e==o&&(o=le(c)),wt(c,c));return o}function _n(e,t,n,o){var a,s,i,c;if(typeof e.type=="function"){if(e.props.__P)return t;if(a=e.__k)for(s=0;s<a.length;s++)a[s]&&(a[s].__=e,t=_n(a[s],t,n,!1));return t}for(t&&!t.parentNode&&(t=le(e))&&!t.parentNode&&(t=null),i=e.__e,c=t;c&&c.nodeType==8;)c=c.nextSibling;for(i!=c&&(!o&&n.moveBefore&&i.parentNode?n.moveBefore(i,t):n.insertBefore(i,t||null)),t=i;(t=t&&t.nextSibling)&&t.nodeType==8&&!t.data.startsWith("$s"););return t}function bs(e,t,n,o){var a,s=e.key,i=e.type,c=t[n],u=c&&!(2&c.__u);if(c===null&&s==null||u&&s==c.key&&i==c.type)return n;if(o>(u?1:0)){for(a=n-1;a>=0;a--)if((c=t[a])&&!(2&c.__u)&&s==c.key&&i==c.type)return a;for(a=n+1;a<t.length;a++)if((c=t[a])&&!(2&c.__u)&&s==c.key&&i==c.type)return a}return-1}function ln(e,t,n){n==null&&(n=""),t[0]=="-"?e.setProperty(t,n):e[t]=n}function Fe(e,t,n,o,a){var s,i;if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof o=="string"&&(e.style.cssText=o=""),o)for(t in o)n&&t in n||ln(e.style,t);if(n)for(t in n)o&&n[t]==o[t]||ln(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")typeof n!="function"&&(n=null),typeof o!="function"&&(o=null),(e.__e||(e.__e={}))[t]=n,n&&o||(i=gt[t]||(gt[t]=ws(t)),(e.__a||(e.__a={}))[t]=_t,s=t!=(t=t.replace(dn,"$1")),(t=t.slice(2))[0]<"a"&&(t=t.toLowerCase()),n?e.addEventListener(t,i,s):e.removeEventListener(t,i,s));else{if(a=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{return void(e[t]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n)}}function ws(e){return function(t){var n=this.__e;if(n){if(n=n[e],t[We]==null)t[We]=_t++;else if(t[We]<this.__a[e])return;return n(T.event?T.event(t):t)}}}function vt(e,t,n,o,a,s,i,c,u,f){var l,m,h,d,$,_,w,k,C,I,R,Me,pe,be,J,S,ie,de,K=t.type;if(t.constructor!==Te)return null;128&n.__u&&(u=32&n.__u,l=n.__c.__z)&&(t.__u|=u,m=s=[],l.nodeType==8?c=Be(l,s):s.push(l),c=s[0]||c),(l=T.__b)&&l(t);e:if(typeof K=="function"){h=i.length;try{if(k=t.props,C=(l=K.prototype)&&l.render,I=(l=K.contextType)&&o[l.__c],R=l?I?I.props.value:l.__:o,(d=n.__c)?(t.__c=d,2&d.__g&&(d.__g|=1)):(C?t.__c=d=new K(k,R):(t.__c=d=new ce(k,R),d.constructor=K,d.render=xs),I&&I.sub(d),d.state||(d.state={}),d.__n=o,d.__g|=8,d.__h=[],d.__k=[]),C&&(d.__s||(d.__s=d.state),K.getDerivedStateFromProps&&(d.__s==d.state&&(d.__s=me({},d.__s)),me(d.__s,K.getDerivedStateFromProps(k,d.__s)))),$=d.props,_=d.state,d.__v=t,n.__c){if(k!==$&&C&&!K.getDerivedStateFromProps&&d.componentWillReceiveProps&&d.componentWillReceiveProps(k,R),t.__v==n.__v&&!(8&d.__g)||!(4&d.__g)&&d.shouldComponentUpdate&&d.shouldComponentUpdate(k,d.__s,R)===!1){t.__v!=n.__v&&(d.props=k,d.state=d.__s,d.__g&=-9),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(B){B&&(B.__=t)}),ze.push.apply(d.__h,d.__k),d.__k=[],d.__h.length&&i.push(d),c=le(n);break e}d.componentWillUpdate&&d.componentWillUpdate(k,d.__s,R),C&&d.componentDidUpdate&&d.__h.push(function(){d.componentDidUpdate($,_,w)})}else C&&!K.getDerivedStateFromProps&&d.componentWillMount&&d.componentWillMount(),C&&d.componentDidMount&&d.__h.push(d.componentDidMount);d.context=R,d.props=k,d.__P=e,d.__g&=-5,Me=T.__r,pe=C?25:0;do d.__g&=-9,Me&&Me(t),l=d.render(d.props,d.state=d.__s,d.context);while(8&d.__g&&++pe<25);C&&(ze.push.apply(d.__h,d.__k),d.__k=[]),d.state=d.__s,d.getChildContext&&(o=me({},o,d.getChildContext())),C&&n.__c&&d.getSnapshotBeforeUpdate&&(w=d.getSnapshotBeforeUpdate($,_)),be=l&&l.type===Re&&l.key==null?l.props.children:l,k.__P&&(l=c,a=(e=k.__P).namespaceURI,u=s=null,n.props&&n.props.__P!=e&&(n.__k.some(function(B){B&&wt(B,B)}),n.__k=null),c=n.__k?le(n,0):null),c=gn(e,yt(be)?be:[be],t,n,o,a,s,i,c,u,f),k.__P&&(t.__e=null,c=l),t.__u&=-161,m&&m.some(fe),d.__h.length&&i.push(d),1&d.__g&&(d.__g&=-4)}catch(B){if(i.length=h,t.__v=null,u||s)if(B&&B.then){if(t.__u|=128|u,s){for(~(ie=s.indexOf(c||void 0))||(ie=s.length);(de=s[ie-1])&&de.nodeType==8;)ie--;for(;ie<s.length;ie++)if(de=s[ie])if(s[ie]=null,J){if(de==S)break}else{if(de.nodeType!=8)break;de.data.startsWith("$s")&&(S=Be(J=de))}}if(!J){for(;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;J=c}(l=Be(J=t.__c.__z||(t.__c.__z=J)))?(t.__e=J,c=l):t.__e=c,c=c&&c.nextSibling}else s&&s.some(fe);else t.__e=n.__e;t.__k||(t.__k=n.__k||[]),B&&B.then||yn(t),T.__e(B,t,n)}}else c=t.__e=ks(n.__e,t,n,o,a,s,i,u,f,e);return(l=T.diffed)&&l(t),c}function Be(e,t){if(e&&e.nodeType==8&&e.data.startsWith("$s"))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith("$s"))n++;else if(e.data.startsWith("/$s")&&!--n)return e}t&&t.push(e)}}function yn(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(yn))}function $n(e,t,n){for(var o=0;o<n.length;)bt(n[o++],n[o++],n[o++]);T.__c&&T.__c(t,e),e.some(function(a){try{e=a.__h,a.__h=[],e.some(function(s){s.call(a)})}catch(s){T.__e(s,a.__v)}})}function ks(e,t,n,o,a,s,i,c,u,f){var l,m,h,d,$,_,w,k,C=n.props||Ge,I=t.props,R=t.type;if(R=="svg"?a="http://www.w3.org/2000/svg":R=="math"?a="http://www.w3.org/1998/Math/MathML":a||(a="http://www.w3.org/1999/xhtml"),s){for(l=0;l<s.length;l++)if(($=s[l])&&(R?$.localName==R:$.nodeType==3)){e=$,s[l]=null;break}}if(!e){if(k=f.ownerDocument||document,!R)return k.createTextNode(I);e=k.createElementNS(a,R,I.is?I:f),c&&(T.__m&&T.__m(t,s),c=!1),s=null}if(R){if(f=R=="template"&&e.content||e,s=R=="textarea"&&I.defaultValue!=null?null:s&&$t.call(f.childNodes),!c&&s)for(C={},l=0;l<e.attributes.length;l++)C[($=e.attributes[l]).name]=$.value;for(l in C)$=C[l],l=="dangerouslySetInnerHTML"?h=$:l=="children"||l in I||l=="value"&&"defaultValue"in I||l=="checked"&&"defaultChecked"in I||Fe(e,l,null,$,a);for(l in I)$=I[l],l=="children"?d=$:l=="dangerouslySetInnerHTML"?m=$:l=="value"?_=$:l=="checked"?w=$:c&&typeof $!="function"||C[l]===$||Fe(e,l,$,C[l],a);m?(c||h&&(m.__html==h.__html||m.__html==e.innerHTML)||(e.innerHTML=m.__html),t.__k=[]):(h&&(e.textContent=""),(R=="foreignObject"||a=="http://www.w3.org/1998/Math/MathML"&&ys.test(R))&&(a="http://www.w3.org/1999/xhtml"),gn(f,yt(d)?d:[d],t,n,o,a,s,i,s?s[0]:n.__k&&le(n,0),c,u),s&&s.some(fe)),c&&R!="textarea"||(l="value",R=="progress"&&_==null?e.removeAttribute(l):_==null||_===e[l]&&(R!="progress"||_)||Fe(e,l,_,C[l],a),l="checked",w!=null&&w!=e[l]&&Fe(e,l,w,C[l],a))}else C===I||c&&e.data==I||(e.data=I);return e}function bt(e,t,n,o){try{typeof e=="function"?t?t.__x=e(t)||1:o&&(o=o.__c||o.__e)&&(t=o.__x)&&(o.__x=null,typeof t=="function"?t():e(null)):e.current=t}catch(a){T.__e(a,n)}}function wt(e,t,n){var o,a,s,i;if(T.unmount&&T.unmount(e),!(o=e.ref)||o.current&&o.current!=e.__e||bt(o,null,t,e),o=e.__c){if(o.componentWillUnmount)try{o.componentWillUnmount()}catch(c){T.__e(c,t)}o.__P=o.__n=null}if(o=e.__k)for(i=0;i<o.length;i++)o[i]&&wt(o[i],t,typeof e.type!="function"||n&&!e.props.__P);!n&&(o=e.__c)&&(o=o.__z)&&(a=Be(o,s=[]))&&(o==e.__e&&s.some(fe),fe(a),fe(o)),n||fe(e.__e),e.__e=e.__c=e.__=null}function xs(e,t,n){return this.constructor(e,n)}function kt(e,t){var n,o,a,s;T.__&&T.__(e,t),t.nodeType==9&&(t=t.documentElement),o=(n=e&&32&e.__u)?null:t.__k,t.__k=De(Re,{children:[e]}),a=[],s=[],vt(t,t.__k,o||Ge,Ge,t.namespaceURI,o?null:t.firstChild?$t.call(t.childNodes):null,a,o?o.__e:t.firstChild,n,s),$n(a,t.__k,s),t.__k.props.children=null}T={__e:function(e,t,n,o){for(var a,s,i;t=t.__;)if((a=t.__c)&&!(1&a.__g)){a.__g|=4;try{if((i=(s=a.constructor)&&s.getDerivedStateFromError)&&a.setState(s.getDerivedStateFromError(e)),a.componentDidCatch&&(a.componentDidCatch(e,o||{}),i=1),i&&8&a.__g)return void(a.__g|=2)}catch(c){e=c}}throw He=0,e}},un=0,gs=function(e){return e!=null&&e.constructor===Te},ce.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=me({},this.state)),typeof e=="function"&&(e=e(me({},n),this.props)),e&&(me(n,e),this.__v&&(t&&this.__k.push(t),cn(this)))},ce.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),cn(this))},ce.prototype.render=Re,re=[],He=0,pn=function(e,t){return e.__v.__b-t.__v.__b},We=Symbol(),dn=/(PointerCapture)$|Capture$/i,_t=0,gt={},_s=0;var bn=function(e,t,n,o){var a;t[0]=0;for(var s=1;s<t.length;s++){var i=t[s++],c=t[s]?(t[0]|=i?1:2,n[t[s++]]):t[++s];i===3?o[0]=c:i===4?o[1]=Object.assign(o[1]||{},c):i===5?(o[1]=o[1]||{})[t[++s]]=c:i===6?o[1][t[++s]]+=c+"":i?(a=e.apply(c,bn(e,c,n,["",null])),o.push(a),c[0]?t[0]|=2:(t[s-2]=0,t[s]=a)):o.push(c)}return o},vn=new Map;function wn(e){var t=vn.get(this);return t||(t=new Map,vn.set(this,t)),(t=bn(this,t.get(e)||(t.set(e,t=(function(n){for(var o,a,s=1,i="",c="",u=[0],f=function(h){s===1&&(h||(i=i.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?u.push(0,h,i):s===3&&(h||i)?(u.push(3,h,i),s=2):s===2&&i==="..."&&h?u.push(4,h,0):s===2&&i&&!h?u.push(5,0,!0,i):s>=5&&((i||!h&&s===5)&&(u.push(s,0,i,a),s=6),h&&(u.push(s,h,0,a),s=6)),i=""},l=0;l<n.length;l++){l&&(s===1&&f(),f(l));for(var m=0;m<n[l].length;m++)o=n[l][m],s===1?o==="<"?(f(),u=[u],s=3):i+=o:s===4?i==="--"&&o===">"?(s=1,i=""):i=o+i[0]:c?o===c?c="":i+=o:o==='"'||o==="'"?c=o:o===">"?(f(),s=1):s&&(o==="="?(s=5,a=i,i=""):o==="/"&&(s<5||n[l][m+1]===">")?(f(),s===3&&(u=u[0]),s=u,(u=u[0]).push(2,0,s),s=0):o===" "||o==="	"||o===`
`||o==="\r"?(f(),s=2):i+=o),s===3&&i==="!--"&&(s=4,u=u[0])}return f(),u})(e)),t),arguments,[])).length>1?t:t[0]}var we,N,xt,kn,Ct=Object.is,Pe=0,Pn=[],St=[],A=T,xn=A.__b,Cn=A.__r,Sn=A.diffed,Mn=A.__c,Dn=A.unmount,Tn=A.__;function Ye(e,t){A.__h&&A.__h(N,e,Pe||t),Pe=0;var n=N.__H||(N.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function g(e){return Pe=1,Qe(Ln,e)}function Qe(e,t,n){var o=Ye(we++,2);if(o.t=e,!o.__c&&(o.__=[n?n(t):Ln(void 0,t),function(s){var i=(o.__N||o.__)[0],c=o.t(i,s);Ct(i,c)||(o.__N=[c,o.__[1]],o.__c.setState({}))}],o.__c=N,!N.__f)){N.__f=!0;var a=N.shouldComponentUpdate;N.shouldComponentUpdate=function(s,i,c){var u=this.__H;if(!u)return!0;var f=!1,l=this.props!=s;if(u.__.some(function(h){h.__N&&(f=!0,Ct(h.__[0],h.__N[0])||(l=!0))}),a){var m=a.call(this,s,i,c);return f?m||l:m}return!f||l}}return o.__}function M(e,t){var n=Ye(we++,3);!A.__s&&Tt(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,N.__H.__h.push(n))}function Le(e,t){var n=Ye(we++,4);!A.__s&&Tt(n.__H,t)&&(n.__P=!1,n.__=e,n.u=t,N.__h.push(n))}function q(e){return Pe=5,Dt(function(){return{current:e}},[])}function Dt(e,t){var n=Ye(we++,7);return Tt(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function Ve(e,t){return Pe=8,Dt(function(){return e},t)}function Cs(){var e;do{for(;e=St.shift();)try{Ie(e)}catch(n){A.__e(n,{__:(e=e.__P)&&e.__v})}for(;e=Pn.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Ie),t.__h.some(Mt),t.__h=[]}catch(n){t.__h=[],A.__e(n,e.__v)}}}while(St.length)}A.__b=function(e){N=null,xn&&xn(e)},A.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),Tn&&Tn(e,t)},A.__r=function(e){Cn&&Cn(e),we=0;var t=(N=e.__c).__H;t&&(xt==N?N.__h=[]:(t.__h.some(Ie),t.__h.some(Mt),we=0),t.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),xt=N},A.diffed=function(e){Sn&&Sn(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&In(Pn.push(t)),t.__H.__.some(function(n){n.u&&(n.__H=n.u)})),xt=N=null},A.__c=function(e,t){t.some(function(n){try{n.__h.some(Ie),n.__h=n.__h.filter(function(o){return!o.__||Mt(o)})}catch(o){n.__h=[function(){throw o}]}}),Mn&&Mn(e,t)},A.unmount=function(e){Dn&&Dn(e);var t,n,o=e.__c;o&&o.__H&&(o.__H.__.some(function(a){try{if(a.__P&&a.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}a.__P=n,In(St.push(a))}else Ie(a)}catch(s){t=s}}),o.__H=void 0,t&&A.__e(t,o.__v))};var Rn=typeof requestAnimationFrame=="function";function Ss(e){var t,n=function(){clearTimeout(o),Rn&&cancelAnimationFrame(t),setTimeout(e)},o=setTimeout(n,35);Rn&&(t=requestAnimationFrame(n))}function In(e){e!=1&&kn==A.requestAnimationFrame||((kn=A.requestAnimationFrame)||Ss)(Cs)}function Ie(e){var t=N,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),N=t}function Mt(e){var t=N;e.__c=e.__(),N=t}function Tt(e,t){return!e||e.length!=t.length||t.some(function(n,o){return!Ct(n,e[o])})}function Ln(e,t){return typeof t=="function"?t(e):t}var r=wn.bind(fn);function An(e){class t extends ce{shouldComponentUpdate(o){let a=this.props;for(let s in a)if(a[s]!==o[s])return!0;for(let s in o)if(!(s in a))return!0;return!1}render(o){return e(o)}}return t.displayName=e.name,t}var X=class extends Error{constructor(t,n,o){super(o||"request failed ("+t+")"),this.status=t,this.code=n||""}},Rt=()=>{};function Nn(e){Rt=e}async function En(e){let t=null;try{t=await e.json()}catch{t=null}return e.status===401&&Rt(),new X(e.status,t&&t.code,t&&t.error)}async function ue(e,t,n){let o={method:e,headers:{},credentials:"same-origin"};n!==void 0&&(o.headers["Content-Type"]="application/json",o.body=JSON.stringify(n));let a;try{a=await fetch(t,o)}catch{throw new X(0,"network","the daemon does not answer: is `pigeon daemon` still running?")}if(!a.ok)throw await En(a);return a.status===204||a.status===202?null:(a.headers.get("Content-Type")||"").includes("json")?a.json():a.text()}var D=e=>ue("GET",e),P=(e,t)=>ue("POST",e,t),U=(e,t)=>ue("PUT",e,t),It=(e,t)=>ue("PATCH",e,t),Y=e=>ue("DELETE",e),Z=encodeURIComponent;function Pt(e,t,n){let o=e.slice(2),a=e.startsWith("g:")?"/v1/groups/"+o:"/v1/conversations/"+o,s="?limit="+n;return t&&(s+="&before="+t),a+"/messages"+s}function On({key:e,file:t,caption:n,replyTo:o,onProgress:a}){let s=new URLSearchParams;s.set(e.startsWith("g:")?"group":"to",e.slice(2)),t.name&&s.set("name",t.name),t.type&&s.set("mime",t.type),n&&s.set("caption",n),o&&s.set("reply_to",o);let i=new XMLHttpRequest;return{promise:new Promise((u,f)=>{i.open("POST","/v1/media?"+s.toString()),i.responseType="json",i.upload.onprogress=l=>a&&a(l.loaded,l.lengthComputable?l.total:t.size),i.onload=()=>{let l=i.response;if(i.status===201&&l&&l.id){u(l.id);return}i.status===401&&Rt(),f(new X(i.status,l&&l.code,l&&l.error))},i.onerror=()=>f(new X(0,"network","the upload was cut off: is the daemon still running?")),i.onabort=()=>f(new X(0,"aborted","upload cancelled")),i.send(t)}),abort:()=>i.abort()}}var ke=e=>"/v1/media/"+e+"/content",Lt=e=>"/v1/media/"+e+"/thumbnail",he=e=>"/v1/qr.svg?text="+Z(e);async function Un(e){let t=await fetch("/v1/qr/decode",{method:"POST",credentials:"same-origin",headers:{"Content-Type":e.type||"application/octet-stream"},body:e});if(!t.ok)throw await En(t);return(await t.json()).text}function At(e,t){let n=document.createElement("a");n.href=ke(e),n.download=t||"",n.rel="noopener",document.body.append(n),n.click(),n.remove()}var ge=e=>"p:"+e,xe=e=>"g:"+e,ee=e=>e.group?xe(e.group):ge(e.peer),_e=e=>(e.startsWith("g:")?"/group/":"/chat/")+e.slice(2),H=e=>e?e.slice(0,12)+"…":"",Nt=new Intl.DateTimeFormat(void 0,{hour:"2-digit",minute:"2-digit"}),qn=new Intl.DateTimeFormat(void 0,{weekday:"long"}),Ms=new Intl.DateTimeFormat(void 0,{year:"numeric",month:"short",day:"numeric"}),Ds=new Intl.DateTimeFormat(void 0,{month:"short",day:"numeric"}),jn=e=>e?Date.parse(e):0,Fn=e=>e?Nt.format(new Date(e)):"";function Je(e){return new Date(e.getFullYear(),e.getMonth(),e.getDate()).getTime()}function Et(e){let t=new Date(e);return t.getFullYear()*1e4+t.getMonth()*100+t.getDate()}function Ae(e,t=Date.now()){let n=new Date(e),o=Math.round((Je(new Date(t))-Je(n))/864e5);return o===0?"Today":o===1?"Yesterday":o>1&&o<7?qn.format(n):Ms.format(n)}function Wn(e,t=Date.now()){if(!e)return"";let n=new Date(e),o=Math.round((Je(new Date(t))-Je(n))/864e5);return o===0?Nt.format(n):o===1?"Yesterday":o>1&&o<7?qn.format(n):Ds.format(n)}function Ke(e,t=Date.now()){if(!e)return"";let n=Ae(e,t),o=Nt.format(new Date(e));return n==="Today"?"last seen today at "+o:n==="Yesterday"?"last seen yesterday at "+o:"last seen "+n+" at "+o}function te(e){if(e==null)return"";if(e<1024)return e+" B";let t=["KB","MB","GB","TB"],n=e/1024,o=0;for(;n>=1024&&o<t.length-1;)n/=1024,o++;return(n<10?n.toFixed(1):Math.round(n))+" "+t[o]}var Ot=(e,t)=>t>0?Math.min(100,Math.floor(e*100/t)):0,Bn=e=>(e||"?").trim().slice(0,1).toUpperCase()||"?";function W(...e){return e.filter(Boolean).join(" ")}var Ts=/pgi[a-z2-7]{160}/,Rs=/pg[a-z2-7]{58}(?![a-z2-7])/;function Xe(e){let t=(e||"").trim(),n=t.toLowerCase(),o=n.match(Ts);if(o)return{kind:"invite",link:o[0]};let a=n.match(Rs);if(!a)return null;let s="",i=t.indexOf("?");if(i>=0)try{s=new URLSearchParams(t.slice(i+1)).get("name")||""}catch{s=""}return{kind:"account",account:a[0],name:s}}function Hn(e,t){return"pigeon:"+e+(t?"?name="+encodeURIComponent(t):"")}var Gn=e=>(e||"").replace(/(\d{5})(?=\d)/g,"$1 ");var y=({name:e,label:t,class:n})=>t?r`<span class=${W("icon","i-"+e,n)} role="img" aria-label=${t}></span>`:r`<span class=${W("icon","i-"+e,n)} aria-hidden="true"></span>`;function z({name:e,online:t,small:n,group:o}){return r`<span class=${W("avatar",n&&"small")} aria-hidden="true">
    ${o?r`<${y} name="group" />`:Bn(e)}
    ${t&&r`<span class="dot"></span>`}
  </span>`}var Is=0;function O({title:e,onClose:t,children:n,actions:o,class:a,label:s}){let i=q(null),c=q("dlg"+ ++Is).current;return Le(()=>{let u=i.current,f=document.activeElement;return u.open||u.showModal(),()=>{u.open&&u.close(),f&&f.focus&&document.contains(f)&&f.focus()}},[]),r`<dialog
    ref=${i}
    class=${a}
    aria-labelledby=${s?void 0:c}
    aria-label=${s}
    onCancel=${u=>{u.preventDefault(),t()}}
  >
    <header class="bar">
      <h2 id=${c}>${e}</h2>
      <button type="button" class="icon-btn" aria-label="Close" onClick=${t}><${y} name="close" /></button>
    </header>
    <div class="dialog-body">${n}</div>
    ${o&&r`<div class="dialog-actions">${o}</div>`}
  </dialog>`}function ye(){let e=q(null);return M(()=>{e.current&&e.current.focus()},[]),e}async function Ne(e){try{return await navigator.clipboard.writeText(e),!0}catch{return!1}}var Ps=0,Ls=e=>"/v1/messages/"+e+"/quote-thumbnail";function As(e){let t=ee(e);p.replying=new Map(p.replying).set(t,e),v();let n=document.getElementById("composer-"+t);n&&n.focus()}function et(e){if(!p.replying.has(e))return;let t=new Map(p.replying);t.delete(e),p.replying=t,v()}async function Ns(e,t){for(;;){let n=p.chats.get(e);if(!n)return!1;if(n.ids.has(t))break;if(!n.hasOlder)return!1;if(n.loading){await new Promise(s=>setTimeout(s,50));continue}let o=await tt(e),a=p.chats.get(e);if(!o&&!a.hasOlder&&!a.ids.has(t))return!1}return p.jump={key:e,id:t,seq:++Ps},v(),!0}function Ut(e,t){let n=e&&e.querySelector('.msg[data-id="'+t+'"]');return n?(n.scrollIntoView({block:"center"}),n.classList.add("highlight"),setTimeout(()=>n.classList.remove("highlight"),2e3),!0):!1}function zn(e){return p.me&&e.author===p.me.account?"You":e.author_name||j(e.author)}function Yn(e){return e.state==="deleted"?"This message was deleted":(e.file_name?"📎 "+e.file_name+(e.snippet?" — "+e.snippet:""):e.snippet)||"a file"}function Qn({m:e}){let[t,n]=g(!1),o=e.reply_to;if(!o)return null;let a=ee(e),s=o.state!=="ok",i=async()=>{if(s)return;await Ns(a,o.id).catch(u=>(x(u),!0))||n(!0)};return r`<button type="button" class=${W("quote",s&&"gone")} data-quote=${o.id} data-quote-state=${o.state} onClick=${i}
      aria-label=${"Reply to "+zn(o)+": "+Yn(o)+(s?"":". Show the original")}>
    ${o.has_thumbnail&&r`<img src=${Ls(e.id)} alt="" width="40" height="40" />`}
    <span class="grow">
      <span class="quote-who">${zn(o)}</span>
      <span class="quote-text">${Yn(o)}</span>
      ${o.state==="unknown"&&r`<span class="quote-note">original not on this device</span>`}
      ${t&&r`<span class="quote-note">original not found in this chat</span>`}
    </span>
  </button>`}function Vn({m:e}){return r`<button type="button" class="icon-btn reply-btn" aria-label="Reply" title="Reply" onClick=${()=>As(e)}><${y} name="reply" /></button>`}function Jn({chatKey:e}){let t=b(a=>a.replying.get(e));if(!t)return null;let n=t.direction==="out"?"You":t.sender_name||j(t.sender),o=t.media?"📎 "+(t.media.name||"file")+(t.text?" — "+t.text:""):t.text;return r`<div class="reply-bar" role="status" data-replying=${t.id}>
    <${y} name="reply" />
    <span class="grow">
      <span class="quote-who">Replying to ${n}</span>
      <span class="quote-text">${o}</span>
    </span>
    <button type="button" class="icon-btn" aria-label="Cancel reply" onClick=${()=>et(e)}><${y} name="close" /></button>
  </div>`}var Kn="forever";function qt(e){return!e||!e.muted_until?!1:e.muted_until===Kn||Date.parse(e.muted_until)>Date.now()}var Xn=e=>qt(p.convs.find(t=>t.key===e)),Ze=e=>({pinned:!!e.pinned,muted_until:e.muted_until||"",archived:!!e.archived});function Zn(e,t){let n=t.find(c=>c.key===e.key);n&&Object.assign(e,Ze(n));let o=p.archived.findIndex(c=>c.key===e.key);if(o>=0){let c=p.archived.slice();return c[o]={...e,...Ze(p.archived[o])},p.archived=c,t}if(n&&n.pinned)return t.map(c=>c===n?e:c);let a=t.filter(c=>c.key!==e.key),s=e.pinned?0:a.findIndex(c=>!c.pinned),i=s<0?a.length:s;return[...a.slice(0,i),e,...a.slice(i)]}async function Es(e,t,n){let o=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/prefs":"/v1/conversations/"+e.slice(2)+"/prefs";try{await U(o,t),await n()}catch(a){x(a)}}function eo({c:e,reload:t}){let[n,o]=g(!1),a=qt(e),s=i=>()=>(o(!1),Es(e.key,i,t));return r`<span class="chat-menu">
    <button type="button" class="icon-btn" aria-label=${"Chat options"} aria-expanded=${n?"true":"false"} onClick=${()=>o(!n)}><${y} name="more" /></button>
    ${n&&r`<ul class="menu" role="menu">
      <li role="none"><button type="button" role="menuitem" onClick=${s({pinned:!e.pinned})}>${e.pinned?"Unpin":"Pin"}</button></li>
      ${a?r`<li role="none"><button type="button" role="menuitem" onClick=${s({muted_until:null})}>Unmute</button></li>`:r`<li role="none"><button type="button" role="menuitem" onClick=${s({muted_until:new Date(Date.now()+8*36e5).toISOString()})}>Mute for 8 hours</button></li>
            <li role="none"><button type="button" role="menuitem" onClick=${s({muted_until:Kn})}>Mute always</button></li>`}
      <li role="none"><button type="button" role="menuitem" onClick=${s({archived:!e.archived})}>${e.archived?"Unarchive":"Archive"}</button></li>
    </ul>`}
  </span>`}function to({c:e}){return r`${e.pinned&&r`<${y} name="pin" label="pinned" class="mark" />`}${qt(e)&&r`<${y} name="mute" label="muted" class="mark" />`}`}function no({Item:e,current:t}){let n=b(s=>s.archived),[o,a]=g(!1);return n.length?r`<li class="archived-section">
    <button type="button" class="btn archived-toggle" aria-expanded=${o?"true":"false"} onClick=${()=>a(!o)}>
      Archived (${n.length})
    </button>
    ${o&&r`<ul class="chats" aria-label="Archived chats">${n.map(s=>r`<${e} key=${s.key} c=${s} current=${s.key===t} />`)}</ul>`}
  </li>`:null}var ot=50,p={boot:"loading",bootError:"",me:null,conn:"connecting",convs:[],contacts:new Map,groups:new Map,presence:new Map,typing:new Map,progress:new Map,uploads:[],chats:new Map,open:"",identity:new Map,storageFull:!1,autoDownload:null,devices:null,linkOffer:null,linkRequest:null,historySync:null,setup:null,setupDown:"",toasts:[],replying:new Map,jump:null,archived:[],visible:document.visibilityState==="visible"},Ee=new Set,jt=!1;function v(){jt||(jt=!0,queueMicrotask(()=>{jt=!1;for(let e of Ee)e()}))}function lo(e){return Ee.add(e),()=>Ee.delete(e)}function Os(e,t){if(Object.is(e,t))return!0;if(!e||!t||typeof e!="object"||typeof t!="object")return!1;let n=Object.keys(e);if(n.length!==Object.keys(t).length)return!1;for(let o of n)if(!Object.is(e[o],t[o]))return!1;return!0}function b(e){let[,t]=Qe(a=>a+1,0),n=q(null),o=e(p);return n.current={sel:e,val:o},Le(()=>{let a=()=>{let s=n.current;Os(s.sel(p),s.val)||t()};return Ee.add(a),a(),()=>Ee.delete(a)},[]),o}var Us=0;function L(e,t="info"){let n=++Us;p.toasts=[...p.toasts,{id:n,text:e,kind:t}],v(),setTimeout(()=>Ht(n),t==="error"?8e3:4e3)}function Ht(e){p.toasts=p.toasts.filter(t=>t.id!==e),v()}function x(e){e instanceof X&&e.status===401||L(e&&e.message?e.message:String(e),"error")}function j(e){if(!e)return"";if(p.me&&e===p.me.account)return"You";let t=p.contacts.get(e);return t&&t.name||H(e)}function G(e){if(e.startsWith("g:")){let o=p.groups.get(e.slice(2));return o&&o.name||"Group "+e.slice(2,10)}let t=p.contacts.get(e.slice(2));if(t&&t.name)return t.name;let n=p.convs.find(o=>o.key===e);return n&&n.name||H(e.slice(2))}async function oe(){let e=await D("/v1/contacts");p.contacts=new Map(e.map(t=>[t.account,t]));for(let t of e)if(t.identity_changed_at&&!p.identity.has(t.account)&&(p.identity=new Map(p.identity).set(t.account,{account:t.account,at:t.identity_changed_at})),!t.identity_changed_at&&p.identity.has(t.account)){let n=new Map(p.identity);n.delete(t.account),p.identity=n}v()}async function st(){let e=await D("/v1/groups");p.groups=new Map(e.map(t=>[t.id,t])),v()}async function Q(e){try{let t=await D("/v1/groups/"+e);p.groups=new Map(p.groups).set(e,t)}catch(t){if(t.status===404){let n=new Map(p.groups);n.delete(e),p.groups=n}else throw t}v()}function oo(e){return{key:e.group?xe(e.group):ge(e.peer),peer:e.peer||"",group:e.group||"",name:e.name||"",last:e.last,unread:e.unread,...Ze(e)}}var uo=0,po=new Map;async function V(){let e=uo,[t,n]=await Promise.all([D("/v1/conversations"),D("/v1/conversations?archived=true")]),o=t.map(oo);p.archived=n.map(oo);for(let s of o)(po.get(s.key)||0)>e&&(s.unread=0);let a=new Set(o.concat(p.archived).map(s=>s.key));for(let s of p.groups.values()){let i=xe(s.id);!a.has(i)&&s.status==="active"&&o.push({key:i,peer:"",group:s.id,name:s.name,last:null,unread:0})}p.convs=o,v();for(let s of o.slice(0,30))s.peer&&!p.presence.has(s.peer)&&fo(s.peer)}var so=0;function $e(){clearTimeout(so),so=setTimeout(()=>V().catch(()=>{}),300)}var Ft=new Set;async function fo(e){if(!Ft.has(e)){Ft.add(e);try{let t=await D("/v1/presence/"+e);p.presence=new Map(p.presence).set(e,t),v()}catch{}finally{Ft.delete(e)}}}async function Gt(){p.autoDownload=await D("/v1/media-settings/auto-download"),v()}async function at(){await Promise.all([oe(),st(),Gt().catch(()=>{})]),await V();let e=p.open;p.chats=new Map,p.boot="ready",v(),e&&await zt(e)}function qs(e){return{key:e,msgs:[],ids:new Set,hasOlder:!0,loading:!1,ready:!1}}function ne(e){p.chats.set(e.key,e),v()}async function zt(e){p.open=e,v();let t=p.chats.get(e);if(!t||!t.ready){t=qs(e),t.loading=!0,ne(t);try{let n=await D(Pt(e,"",ot)),o=p.chats.get(e),a=n.slice(),s=new Set(n.map(i=>i.id));for(let i of o.msgs)s.has(i.id)||(a.push(i),s.add(i.id));ne({...o,msgs:a,ids:s,hasOlder:n.length===ot,loading:!1,ready:!0})}catch(n){ne({...p.chats.get(e),loading:!1}),x(n)}}e.startsWith("p:")&&fo(e.slice(2)),Ue(e)}function mo(){p.open="",v()}async function tt(e){let t=p.chats.get(e);if(!t||!t.ready||t.loading||!t.hasOlder)return 0;ne({...t,loading:!0});try{let n=t.msgs.length?t.msgs[0].id:"",o=await D(Pt(e,n,ot)),a=p.chats.get(e),s=o.filter(i=>!a.ids.has(i.id));for(let i of s)a.ids.add(i.id);return ne({...a,msgs:s.concat(a.msgs),hasOlder:o.length===ot,loading:!1}),s.length}catch(n){return ne({...p.chats.get(e),loading:!1}),x(n),0}}var ao={pending:0,failed:0,sent:1,received:1,delivered:2,read:3};function Oe(e,{incoming:t=!1}={}){let n=ee(e),o=p.chats.get(n);if(o&&!o.ids.has(e.id))o.ids.add(e.id),ne({...o,msgs:o.msgs.concat([e])});else if(o){let u=o.msgs.findLast(f=>f.id===e.id);u&&(ao[e.state]??0)>(ao[u.state]??0)&&Ce(e.id,f=>({...f,state:e.state,pending:void 0}))}let a=p.convs.findIndex(u=>u.key===n),s=a>=0?p.convs[a]:null;if(s&&s.last&&s.last.id===e.id)return;let i=(s?s.unread:0)+(t&&!(p.open===n&&p.visible)?1:0),c={key:n,peer:e.peer||"",group:e.group||"",name:s&&s.name||e.peer_name||e.group_name||"",last:e,unread:i};p.convs=Zn(c,p.convs),v(),!s&&e.group&&!p.groups.has(e.group)&&Q(e.group).catch(()=>{})}function Ce(e,t){let n=!1;for(let a of p.chats.values()){if(!a.ids.has(e))continue;let s=a.msgs.findLastIndex(c=>c.id===e);if(s<0)continue;let i=a.msgs.slice();i[s]=t(i[s]),ne({...a,msgs:i}),n=!0}let o=p.convs.findIndex(a=>a.last&&a.last.id===e);if(o>=0){let a=p.convs.slice();a[o]={...a[o],last:t(a[o].last)},p.convs=a,n=!0}return n&&v(),n}var Wt=new Set;async function ho(e){for(let t of p.chats.values())if(t.ids.has(e))return;if(!Wt.has(e)){Wt.add(e);try{Oe(await D("/v1/messages/"+e))}catch{}finally{Wt.delete(e)}}}var Bt=new Map,io=new Set;function Ue(e){if(!e||e!==p.open||!p.visible)return;let t=p.convs.find(i=>i.key===e),n=p.chats.get(e),o=n?n.msgs.filter(i=>i.direction==="in"&&i.state==="received").map(i=>i.id):[];if((!t||!t.unread)&&!o.length)return;if(Bt.has(e)){io.add(e);return}let a=new Set(o),s=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/read":"/v1/conversations/"+e.slice(2)+"/read";Bt.set(e,!0),P(s).then(()=>{po.set(e,++uo),p.convs=p.convs.map(c=>c.key===e?{...c,unread:0}:c);let i=p.chats.get(e);i&&ne({...i,msgs:i.msgs.map(c=>a.has(c.id)&&c.state==="received"?{...c,state:"read"}:c)}),v()}).catch(x).finally(()=>{Bt.delete(e),io.delete(e)&&Ue(e)})}function go(e){p.visible=e,v(),e&&Ue(p.open)}async function _o(e,t,n){let o=e.slice(2),a=n?{reply_to:n}:{},s=e.startsWith("g:")?await P("/v1/groups/"+o+"/messages",{text:t,...a}):await P("/v1/messages",{to:o,text:t,...a}),i=await D("/v1/messages/"+s.id);return Oe(i),i}var js=0;async function yo(e,t,n,o){let a=++js,s=t.type.startsWith("image/")?URL.createObjectURL(t):"",i=On({key:e,file:t,caption:n,replyTo:o,onProgress:c=>{p.uploads=p.uploads.map(u=>u.uid===a?{...u,loaded:c}:u),v()}});p.uploads=[...p.uploads,{uid:a,key:e,name:t.name,size:t.size,loaded:0,error:"",abort:i.abort,preview:s}],v();try{let c=await i.promise,u=await D("/v1/messages/"+c);Oe(u),p.uploads=p.uploads.filter(f=>f.uid!==a)}catch(c){c.code==="aborted"?p.uploads=p.uploads.filter(u=>u.uid!==a):p.uploads=p.uploads.map(u=>u.uid===a?{...u,error:c.message}:u),c.code!=="aborted"&&x(c)}finally{s&&setTimeout(()=>URL.revokeObjectURL(s),6e4),v()}}function $o(e){p.uploads=p.uploads.filter(t=>t.uid!==e),v()}var nt=0,ro=0;function it(e,t){let n=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/typing":"/v1/conversations/"+e.slice(2)+"/typing";clearTimeout(ro);let o=Date.now();if(t){if(ro=setTimeout(()=>it(e,!1),5e3),o-nt<3e3)return;nt=o}else{if(!nt)return;nt=0}P(n,{active:t}).catch(()=>{})}async function Yt(e){try{await P("/v1/media/"+e+"/fetch"),Ce(e,t=>t.media?{...t,media:{...t.media,state:"fetching",error:""}}:t)}catch(t){x(t)}}function vo(e){p.progress=new Map(p.progress).set(e.id,{phase:e.phase,done:e.done||0,total:e.total||0,direction:e.direction}),v()}function bo(e){if(Ce(e.id,t=>t.media?{...t,media:{...t.media,state:e.state,error:e.error||"",retry_until:e.retry_until||""}}:t),e.state!=="fetching"&&p.progress.has(e.id)){let t=new Map(p.progress);t.delete(e.id),p.progress=t,v()}}var co=0;function wo(){let e=Date.now(),t=1/0,n=!1,o=new Map;for(let[a,s]of p.typing){let i=new Map;for(let[c,u]of s)u>e?(i.set(c,u),t=Math.min(t,u)):n=!0;i.size&&o.set(a,i)}n&&(p.typing=o,v()),clearTimeout(co),t!==1/0&&(co=setTimeout(wo,t-e+50))}function Qt(e,t,n,o){let a=new Map(p.typing),s=new Map(a.get(e)||[]);n?s.set(t,jn(o)||Date.now()+6e3):s.delete(t),s.size?a.set(e,s):a.delete(e),p.typing=a,v(),wo()}function ko(e){let t=p.presence.get(e.account)||{};p.presence=new Map(p.presence).set(e.account,{...t,account:e.account,state:e.state,last_seen:e.last_seen||t.last_seen}),v()}async function Vt(e,t){await U("/v1/contacts/"+Z(e),t?{name:t}:{}),await oe(),$e()}async function xo(e){await P("/v1/contacts/"+Z(e)+"/verify");let t=new Map(p.identity);t.delete(e),p.identity=t,await oe()}async function Co(e,t,n){let o=await P("/v1/groups",{name:e,description:t,members:n});return p.groups=new Map(p.groups).set(o.id,o),await V(),o}async function rt(e){let t=await P("/v1/groups/join",{link:e});return await st(),await V(),t}var ct=new Set;function F(e,{replace:t=!1}={}){if(e!==location.pathname){t?history.replaceState(null,"",e):history.pushState(null,"",e);for(let n of ct)n()}}window.addEventListener("popstate",()=>{for(let e of ct)e()});function So(e=location.pathname){let t=e.split("/").filter(Boolean),[n,o,a]=t;return(n==="chat"||n==="group")&&o?{name:"chat",key:(n==="group"?"g:":"p:")+o,info:a==="info"}:n==="contacts"||n==="me"||n==="settings"?{name:n}:{name:"home"}}function Mo(){let[e,t]=g(()=>So());return M(()=>{let n=()=>t(So());return ct.add(n),()=>ct.delete(n)},[]),e}function E(e){if(e.defaultPrevented||e.button!==0||e.metaKey||e.ctrlKey||e.shiftKey||e.altKey)return;let t=e.currentTarget;e.preventDefault(),F(t.getAttribute("href"))}var Jt=()=>"Notification"in window,lt=()=>Jt()?Notification.permission:"unsupported";async function ut(){return Jt()?Notification.requestPermission():"unsupported"}function To(e,t){if(!document.hidden||!Jt()||Notification.permission!=="granted")return;let n=ee(e);if(t||Xn(n))return;let o=G(n),a=e.group?j(e.sender)+" in "+o:o,s=e.media?"📎 "+(e.text||e.media.name||"a file"):e.text;try{let i=new Notification(a,{body:s.slice(0,200),tag:n,icon:document.querySelector("link[rel=icon]").href});i.onclick=()=>{window.focus(),F(_e(n)),i.close()}}catch{}}var Do="";function Ro(){let e=0;for(let n of p.convs)e+=n.unread||0;let t=e>0?"("+e+") Pigeon":"Pigeon";t!==Do&&(Do=t,document.title=t)}async function Se(){p.devices=await D("/v1/devices"),v()}var pt=e=>(e||0).toLocaleString("en-US");function Fs(e){let t=p.devices&&p.devices.devices.find(n=>n.id===e);return t&&t.name||"device "+e}function Io(e){p.linkRequest=e,v()}function Po(e){p.linkOffer=null,p.linkRequest&&p.linkRequest.peer_id===e.peer_id&&(p.linkRequest=null),v(),L("Linked "+(e.name||"a new device")+". It is getting your history now."),Se().catch(()=>{})}function Lo(){Se().catch(()=>{})}function Ao(e){p.historySync=e,v()}function Ws(e){return e.this?"":e.online?"online":e.last_seen?Ke(e.last_seen):"not seen since it was linked"}function Bs(e,t){let n=Math.max(0,Math.round((Date.parse(e)-t)/1e3));return Math.floor(n/60)+":"+String(n%60).padStart(2,"0")}function Hs({offer:e,onAgain:t}){let[n,o]=g(Date.now());return M(()=>{let a=setInterval(()=>o(Date.now()),1e3);return()=>clearInterval(a)},[]),Date.parse(e.expires)<=n?r`<div class="link-offer expired">
      <p>The link code expired.</p>
      <button type="button" class="btn" onClick=${t}>Make a new code</button>
    </div>`:r`<div class="link-offer">
    <p>On the new device run <code>pigeon init --link CODE</code> with this code, or scan it. It works once; keep it to yourself.</p>
    <img class="qr" src=${he(e.qr_text)} alt="QR code of the link code" width="220" height="220" />
    <textarea class="mono link-code" readonly rows="4" aria-label="Link code" value=${e.code} onFocus=${a=>a.target.select()}></textarea>
    <p class="muted" data-expires=${e.expires}>Expires in ${Bs(e.expires,n)}</p>
    <button type="button" class="btn withdraw-link" onClick=${()=>Gs(e)}>Cancel</button>
  </div>`}async function Gs(e){try{await ue("DELETE","/v1/devices/link",{code:e.code})}catch(t){x(t)}p.linkOffer=null,v()}function zs({d:e,holdsKey:t}){let[n,o]=g(!1),[a,s]=g(e.name),i=async f=>{f.preventDefault();try{await U("/v1/devices/"+e.id,{name:a.trim()}),o(!1),await Se()}catch(l){x(l)}},c=()=>{s(e.name),o(!0)},u=async()=>{if(confirm("Revoke "+(e.name||"device "+e.id)+"? It stops receiving your messages, and what it sends is no longer accepted. Link it again to use it."))try{await Y("/v1/devices/"+e.id),L("Revoked "+(e.name||"device "+e.id)+"."),await Se()}catch(f){x(f)}};return n?r`<li data-device=${e.id}>
      <form class="row grow" onSubmit=${i}>
        <input type="text" class="grow" aria-label="Device name" value=${a} maxlength="64" onInput=${f=>s(f.target.value)} />
        <button type="submit" class="btn" disabled=${!a.trim()}>Save</button>
        <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
      </form>
    </li>`:r`<li data-device=${e.id}>
    <span class="grow">
      <span class="device-name">${e.name||"Device "+e.id}</span>
      ${e.this&&r` <span class="role">this device</span>`}
      <div class="relay-stats">${[e.platform,Ws(e),"added "+Ae(e.added_at).toLowerCase()].filter(Boolean).join(" · ")}</div>
    </span>
    <button type="button" class="btn" onClick=${c} aria-label=${"Rename "+(e.name||"device "+e.id)}>Rename</button>
    ${t&&!e.this&&r`<button type="button" class="btn danger" onClick=${u} aria-label=${"Revoke "+(e.name||"device "+e.id)}>Revoke</button>`}
  </li>`}function Ys(){let e=b(n=>n.historySync);if(b(n=>n.devices),!e)return null;let t=Fs(e.device);return e.error?r`<p class="history-sync error-text" role="status">Syncing history from ${t} stopped at ${pt(e.done)} (${e.error}); it goes on when the devices meet again.</p>`:(e.done||0)>=(e.total||0)?r`<p class="history-sync muted" role="status">History synced from ${t}: ${pt(e.total)} changes.</p>`:r`<p class="history-sync" role="status">Syncing history from ${t}: ${pt(e.done)} of ${pt(e.total)}</p>`}function No(){let e=b(o=>o.devices),t=b(o=>o.linkOffer);M(()=>{Se().catch(x);let o=setInterval(()=>Se().catch(()=>{}),3e4);return()=>clearInterval(o)},[]);let n=async()=>{try{p.linkOffer=await P("/v1/devices/link"),v()}catch(o){x(o)}};return r`<div class="card devices">
    <h3>Devices</h3>
    <p class="muted">Your account on other devices: each gets your history and everything you send, receive and read.</p>
    <ul class="list">
      ${(e?e.devices:[]).map(o=>r`<${zs} key=${o.id+":"+o.name} d=${o} holdsKey=${e.holds_account_key} />`)}
    </ul>
    <${Ys} />
    ${e&&(e.holds_account_key?t?r`<${Hs} offer=${t} onAgain=${n} />`:r`<button type="button" class="btn link-device" onClick=${n}>Link a device</button>`:r`<p class="muted">This device does not hold the account key: link and revoke devices on the one that does.</p>`)}
  </div>`}function Eo(){let e=b(n=>n.linkRequest);if(!e)return null;let t=async n=>{p.linkRequest=null,v();try{await P("/v1/devices/link-requests/"+e.id,{accept:n}),n||L("The device was not linked.")}catch(o){x(o)}};return r`<${O}
    title="Link a new device?"
    class="link-request"
    onClose=${()=>t(!1)}
    actions=${r`<button type="button" class="btn" onClick=${()=>t(!1)}>Cancel</button>
      <button type="button" class="btn primary confirm-link" onClick=${()=>t(!0)}>They match, link it</button>`}
  >
    <p><strong class="device-name">${e.name}</strong>${e.platform?" ("+e.platform+")":""} asks to join your account.</p>
    <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
    <p>Check that the new device shows the same six digits. If it does not, cancel: someone else has your link code.</p>
  <//>`}var se=null,Xt="",qe=0,Kt=0,Zt=!1,je=250,Oo=0,Uo=Promise.resolve();function dt(){if(clearTimeout(Oo),se)return;Zt=!!Xt;let e=Zt?"?epoch="+encodeURIComponent(Xt)+"&after="+qe:"",t=location.protocol==="https:"?"wss:":"ws:",n=new WebSocket(t+"//"+location.host+"/v1/events"+e);se=n,n.onmessage=o=>{let a;try{a=JSON.parse(o.data)}catch{return}Uo=Uo.then(()=>Qs(a)).catch(s=>console.error("pigeon: event",a.type,s))},n.onclose=()=>{se===n&&(se=null,p.conn="down",v(),Oo=setTimeout(dt,je),je=Math.min(je*2,5e3))}}function en(){if(!(se&&se.readyState===WebSocket.OPEN)){if(se){let e=se;se=null,e.onclose=null,e.close()}je=250,dt()}}async function Qs(e){if(e.type==="hello"){Xt=e.epoch||"",Kt=e.seq||0,p.conn="live",je=250,v(),Zt||(qe=Kt,await at());return}if(e.type==="reset"){qe=Kt,await at();return}if(typeof e.seq=="number"){if(e.seq<=qe)return;qe=e.seq}Vs(e)}function Vs(e){switch(e.type){case"message_received":{let t=e.message;if(!t)return;let n=t.direction==="in";Oe(t,{incoming:n}),n&&(To(t,e.muted),Ue(ee(t)),$e());return}case"chat_prefs_changed":$e();return;case"message_state_changed":{Ce(e.id,n=>({...n,state:e.state,pending:e.state==="pending"?n.pending:void 0}))||ho(e.id);return}case"message_pending":{let t={code:e.code,reason:e.reason,attempts:e.attempts,next_attempt:e.next_attempt};for(let n of e.ids||[])Ce(n,o=>o.state==="pending"?{...o,pending:t}:o);return}case"typing":Qt(ge(e.from),e.from,e.active,e.until);return;case"group_typing":Qt(xe(e.group),e.from,e.active,e.until);return;case"presence":ko(e);return;case"group_changed":Q(e.group).then(()=>e.change==="created"||e.change==="member_added"||e.change==="member_joined"?V():null).catch(()=>{});return;case"group_receipt":p.receiptTick=(p.receiptTick||0)+1,v();return;case"media_progress":vo(e);return;case"media_state":bo(e);return;case"contact_changed":oe().then($e).catch(()=>{});return;case"identity_changed":p.identity=new Map(p.identity).set(e.account,e),v(),oe().catch(()=>{});return;case"storage":p.storageFull=e.state==="full",v(),p.storageFull&&L("The disk is nearly full: Pigeon cannot store new messages or files until you free some space.","error");return;case"link_request":Io(e);return;case"device_linked":Po(e);return;case"device_revoked":Lo(e);return;case"history_sync":Ao(e);return;case"dropped":at().catch(()=>{}),st().catch(()=>{});return}}function Js(e){let t=e.last;if(!t)return e.group?"No messages yet":"";let n="";return t.direction==="out"?n="You: ":t.group&&(n=(t.sender_name||j(t.sender))+": "),t.media?n+"📎 "+(t.text?t.text:t.media.name||"file"):n+t.text}function qo({c:e,current:t}){let n=e.name||G(e.key),o=b(c=>e.peer?c.presence.get(e.peer):null),a=b(c=>c.typing.has(e.key)),s=o&&o.state==="online",i=n+(e.unread?", "+e.unread+" unread":"")+(s?", online":"");return r`<li>
    <a
      href=${_e(e.key)}
      class=${W("chat-item",e.unread>0&&"unread")}
      aria-current=${t?"page":void 0}
      aria-label=${i}
      onClick=${E}
      data-key=${e.key}
    >
      <${z} name=${n} group=${!!e.group} online=${s} />
      <span class="grow">
        <span class="top">
          <span class="name">${n}</span>
          <${to} c=${e} />
          <span class="time">${e.last?Wn(e.last.sent_at):""}</span>
        </span>
        <span class="bottom">
          <span class="preview">${a?r`<em>typing…</em>`:Js(e)}</span>
          ${e.unread>0&&r`<span class="badge" aria-hidden="true">${e.unread}</span>`}
        </span>
      </span>
    </a>
    <${eo} c=${e} reload=${V} />
  </li>`}function Ks(){let[e,t]=g(lt()),[n,o]=g(localStorage.getItem("pigeon.notify-banner")==="no");return e!=="default"||n?null:r`<div class="banner">
    <span class="grow">Get notified of new messages while this tab is in the background.</span>
    <button type="button" class="btn" onClick=${async()=>t(await ut())}>Turn on</button>
    <button
      type="button"
      class="icon-btn"
      aria-label="Not now"
      onClick=${()=>{localStorage.setItem("pigeon.notify-banner","no"),o(!0)}}
    ><${y} name="close" /></button>
  </div>`}function jo({current:e,onNewGroup:t,onAddContact:n,onJoin:o}){let a=b(m=>m.convs),s=b(m=>m.conn),i=b(m=>m.me),[c,u]=g(""),f=c.trim().toLowerCase(),l=f?a.filter(m=>(m.name||G(m.key)).toLowerCase().includes(f)||(m.peer||m.group).startsWith(f)):a;return r`<nav class="sidebar" aria-label="Chats">
    <header class="bar">
      <a href="/me" class="icon-btn" onClick=${E} aria-label="My account and QR code"><${z} small name=${i?"Me":"?"} /></a>
      <h1 class="brand">Pigeon</h1>
      <button type="button" class="icon-btn" aria-label="New group" onClick=${t}><${y} name="group" /></button>
      <button type="button" class="icon-btn" aria-label="Add contact" onClick=${n}><${y} name="person-add" /></button>
      <button type="button" class="icon-btn" aria-label="Join a group by link" onClick=${o}><${y} name="link" /></button>
      <a href="/contacts" class="icon-btn" onClick=${E} aria-label="Contacts"><${y} name="people" /></a>
      <a href="/settings" class="icon-btn" onClick=${E} aria-label="Settings"><${y} name="gear" /></a>
    </header>
    ${s==="down"&&r`<div class="conn" role="status">Connection to the daemon lost; reconnecting…</div>`}
    <${Ks} />
    <div class="filter" role="search">
      <label>
        <${y} name="search" />
        <span class="sr-only">Filter chats</span>
        <input
          type="search"
          placeholder="Filter chats (Ctrl+K: go to any chat)"
          value=${c}
          onInput=${m=>u(m.target.value)}
          onKeyDown=${m=>{m.key==="Enter"&&f&&l.length&&(m.preventDefault(),F(_e(l[0].key)))}}
          id="chat-filter"
        />
      </label>
    </div>
    <ul class="chats" aria-label="Chat list">
      ${l.map(m=>r`<${qo} key=${m.key} c=${m} current=${m.key===e} />`)}
      ${!f&&r`<${no} Item=${qo} current=${e} />`}
      ${!l.length&&r`<li class="hint">${f?"No chat matches “"+c+"”.":r`No chats yet. <a href="/contacts" onClick=${E}>Start one</a> with a contact, or add one by their account ID.`}</li>`}
    </ul>
  </nav>`}var Wo={pending:"pending",sent:"sent",delivered:"delivered",read:"read",failed:"not sent"},Xs={pending:"clock",sent:"check",delivered:"check2",read:"check2",failed:"alert"};function tn({state:e}){let t=Xs[e];return t?r`<span class=${W("icon","i-"+t,"tick","tick-"+e)} role="img" aria-label=${Wo[e]} data-state=${e}></span>`:null}function Bo(e,t){if(!e||!t)return{width:240,height:180};let n=Math.min(1,300/e,320/t);return{width:Math.max(40,Math.round(e*n)),height:Math.max(40,Math.round(t*n))}}function Fo(e,t){switch(e.state){case"fetching":return t&&t.total?"downloading "+Ot(t.done,t.total)+"%":"downloading…";case"retrying":return"waiting for the sender to come online…";case"failed":return"download failed"+(e.error?": "+e.error:"");case"removed":return"removed from this device";case"remote":return"not downloaded"}return""}function Ho({prog:e,label:t}){return!e||!e.total?r`<progress aria-label=${t}></progress>`:r`<progress aria-label=${t} max=${e.total} value=${e.done}></progress>`}function Go({media:e,prog:t}){let n=e.state==="local",o=e.state==="fetching"||e.state==="retrying",a=t&&t.direction==="download"?t:null;return r`<div class="file-card" data-media-state=${e.state}>
    <${y} name="doc" class="big" />
    <div class="grow">
      <div class="file-name" title=${e.name}>${e.name||"file"}</div>
      <div class="file-meta">${te(e.size)}${e.mime?" · "+e.mime:""}${Fo(e,a)&&" · "+Fo(e,a)}</div>
      ${o&&r`<${Ho} prog=${a} label=${"Downloading "+(e.name||"file")} />`}
    </div>
    ${n?r`<button type="button" class="icon-btn" aria-label=${"Save "+(e.name||"file")} onClick=${()=>At(e.id,e.name)}>
          <${y} name="download" />
        </button>`:!o&&r`<button type="button" class="icon-btn" aria-label=${"Download "+(e.name||"file")+", "+te(e.size)} onClick=${()=>Yt(e.id)}>
          <${y} name="download" />
        </button>`}
  </div>`}function Zs({media:e,prog:t,onOpen:n}){let o=e.state==="local",a=Bo(e.width,e.height),s=o?ke(e.id):e.thumbnail?Lt(e.id):"";if(!s)return r`<${Go} media=${e} prog=${t} />`;let i=e.state==="fetching"||e.state==="retrying";return r`<div>
    <button type="button" class=${W("media-img",!o&&"remote")} onClick=${n} aria-label=${"Open picture "+(e.name||"")}>
      <img src=${s} alt=${e.caption||e.name||"picture"} width=${a.width} height=${a.height} loading="lazy" decoding="async" />
    </button>
    ${!o&&r`<div class="row file-meta">
      ${i?r`<${Ho} prog=${t} label=${"Downloading "+(e.name||"picture")} />`:r`<button type="button" class="btn" onClick=${()=>Yt(e.id)}><${y} name="download" /> ${te(e.size)}</button>`}
    </div>`}
  </div>`}function zo({media:e,onClose:t}){return r`<${O} title=${e.name||"Picture"} onClose=${t} class="viewer">
    <div class="viewer-body">
      <img src=${ke(e.id)} alt=${e.caption||e.name||"picture"} />
    </div>
    <div class="row">
      <button type="button" class="btn" onClick=${()=>At(e.id,e.name)}><${y} name="download" /> Save</button>
    </div>
  </${O}>`}function ea({media:e,prog:t,onOpen:n}){let o=e.mime||"",a=e.state==="local";return o.startsWith("image/")?r`<${Zs} media=${e} prog=${t} onOpen=${n} />`:o.startsWith("video/")?r`<video
      class="media-video"
      controls
      preload=${a?"metadata":"none"}
      poster=${e.thumbnail?Lt(e.id):void 0}
      src=${ke(e.id)}
      aria-label=${"Video "+(e.name||"")}
      width=${Bo(e.width,e.height).width}
    ></video>`:o.startsWith("audio/")?r`<audio class="media-audio" controls preload=${a?"metadata":"none"} src=${ke(e.id)} aria-label=${"Audio "+(e.name||"")}></audio>`:r`<${Go} media=${e} prog=${t} />`}function Yo({m:e,onClose:t}){let n=b(l=>l.receiptTick||0),o=b(l=>l.groups.get(e.group)),[a,s]=g(null),[i,c]=g("");M(()=>{D("/v1/groups/"+e.group+"/messages/"+e.id+"/receipts").then(l=>s(l.receipts||{})).catch(l=>c(l.message))},[n,e.id,e.group]);let u=o?o.members.filter(l=>!p.me||l.account!==p.me.account):[],f=new Set([...u.map(l=>l.account),...Object.keys(a||{})]);return r`<${O} title="Message info" onClose=${t}>
    <p class="text">${e.media?"📎 "+(e.media.name||"file")+(e.text?" — "+e.text:""):e.text}</p>
    ${i&&r`<p class="error-text">${i}</p>`}
    ${!a&&!i&&r`<p class="muted">Loading…</p>`}
    ${a&&r`<ul class="list receipts">
      ${[...f].map(l=>{let m=a[l]||"";return r`<li key=${l} data-account=${l} data-receipt=${m||"none"}>
          <span class="grow">${j(l)}</span>
          <span class="muted">${m==="read"?"Read":m==="delivered"?"Delivered":"Not yet delivered"}</span>
          <${tn} state=${m==="read"?"read":m==="delivered"?"delivered":"sent"} />
        </li>`})}
    </ul>`}
  </${O}>`}var Qo=An(function({m:t,sender:n,prog:o,onOpen:a,onInfo:s}){let i=t.direction==="out";return r`<div class=${W("msg",i?"out":"in")} data-id=${t.id} data-state=${t.state}>
    <div class="bubble">
      ${n?r`<span class="sender">${n}</span>`:r`<span class="sr-only">${i?"You:":""}</span>`}
      ${t.reply_to&&r`<${Qn} m=${t} />`}
      ${t.media&&r`<${ea} media=${t.media} prog=${o} onOpen=${()=>a(t.media)} />`}
      ${t.text&&r`<span class="text">${t.text}</span>`}
      <span class="meta">
        <time datetime=${t.sent_at}>${Fn(t.sent_at)}</time>
        ${i&&(t.group?r`<button type="button" aria-label=${"Message info: "+(Wo[t.state]||t.state)} onClick=${()=>s(t)}><${tn} state=${t.state} /></button>`:r`<${tn} state=${t.state} />`)}
        <${Vn} m=${t} />
      </span>
      ${i&&t.state==="pending"&&t.pending&&t.pending.reason&&r`<span class="why">${t.pending.reason}</span>`}
    </div>
  </div>`});function Vo({u:e,onCancel:t}){return r`<div class="msg out upload" data-upload=${e.name}>
    <div class="bubble">
      ${e.preview&&r`<img src=${e.preview} alt="" />`}
      <div class="file-name">${e.name}</div>
      <div class="file-meta">${e.error?r`<span class="error-text">${e.error}</span>`:"sending "+Ot(e.loaded,e.size)+"% of "+te(e.size)}</div>
      ${!e.error&&r`<progress aria-label=${"Sending "+e.name} max=${e.size||1} value=${e.loaded}></progress>`}
      <div class="row"><button type="button" class="btn" onClick=${t}>${e.error?"Dismiss":"Cancel"}</button></div>
    </div>
  </div>`}var ta=0;function Jo({chatKey:e,dropped:t}){let[n,o]=g(""),[a,s]=g([]),[i,c]=g(!1),u=q(null),f=q(null),l=_=>{let w=[..._].map(k=>({id:++ta,file:k,preview:k.type.startsWith("image/")?URL.createObjectURL(k):""}));w.length&&s(k=>k.concat(w)),u.current&&u.current.focus()},m=_=>s(w=>w.filter(k=>(k.id===_&&k.preview&&URL.revokeObjectURL(k.preview),k.id!==_)));M(()=>{t&&t.length&&l(t)},[t]),M(()=>{u.current&&u.current.focus({preventScroll:!0})},[]),M(()=>{let _=u.current;_&&(_.style.height="auto",_.style.height=_.scrollHeight+2+"px")},[n]);let h=async()=>{let _=n.trim();if(i||!_&&!a.length)return;let w=a,k=p.replying.get(e);if(o(""),s([]),it(e,!1),w.length){et(e),w.forEach((C,I)=>{yo(e,C.file,I===0?_:"",I===0&&k?k.id:"").finally(()=>C.preview&&URL.revokeObjectURL(C.preview))});return}c(!0);try{await _o(e,_,k?k.id:""),et(e)}catch(C){o(_),x(C)}finally{c(!1),u.current&&u.current.focus()}},d=_=>{_.key==="Enter"&&!_.shiftKey&&!_.isComposing&&(_.preventDefault(),h())},$=_=>{let w=_.clipboardData&&_.clipboardData.files;w&&w.length&&(_.preventDefault(),l(w))};return r`<div class="composer-wrap">
    <${Jn} chatKey=${e} />
    ${a.length>0&&r`<ul class="staged" aria-label="Files to send">
      ${a.map(_=>r`<li class="staged-item" key=${_.id}>
          ${_.preview?r`<img src=${_.preview} alt="" />`:r`<${y} name="doc" />`}
          <span class="grow">${_.file.name} <span class="muted">${te(_.file.size)}</span></span>
          <button type="button" class="icon-btn" aria-label=${"Remove "+_.file.name} onClick=${()=>m(_.id)}><${y} name="close" /></button>
        </li>`)}
    </ul>`}
    <form
      class="composer"
      onSubmit=${_=>{_.preventDefault(),h()}}
    >
      <button type="button" class="icon-btn" aria-label="Attach files" onClick=${()=>f.current.click()}><${y} name="attach" /></button>
      <input ref=${f} type="file" multiple hidden aria-hidden="true" tabindex="-1" onChange=${_=>(l(_.target.files),_.target.value="")} />
      <label class="sr-only" for=${"composer-"+e}>${a.length?"Caption":"Message"}</label>
      <textarea
        id=${"composer-"+e}
        ref=${u}
        rows="1"
        placeholder=${a.length?"Add a caption":"Type a message"}
        value=${n}
        onInput=${_=>{o(_.target.value),_.target.value&&it(e,!0)}}
        onKeyDown=${d}
        onPaste=${$}
        aria-describedby="composer-help"
      ></textarea>
      <span id="composer-help" class="sr-only">Enter sends, Shift+Enter starts a new line. Paste or drop files to attach them.</span>
      <button type="submit" class="icon-btn send" aria-label="Send" disabled=${i}><${y} name="send" /></button>
    </form>
  </div>`}var ft=200,ae=50,Ko=600,na=(e,t)=>e===t||e.length===t.length&&e.every((n,o)=>n===t[o]);function oa({chatKey:e}){let t=b(n=>{let o=n.chats.get(e);return o?{loading:o.loading,hasOlder:o.hasOlder,ready:o.ready,empty:!o.msgs.length}:{empty:!0}});return t.loading?r`<p class="older" role="status">Loading older messages…</p>`:t.hasOlder?r`<p class="older"> </p>`:r`<p class="older">${t.ready?t.empty?"No messages yet":"The beginning of this chat":""}</p>`}var nn=class extends ce{constructor(t){super(t),this.state={msgs:null,start:0,end:0,stick:!0,wantUp:!1},this.scroller=null,this.raf=0,this.olderFrom=0,this.openMedia=n=>t.onOpenMedia(n),this.openInfo=n=>t.onInfo(n),this.onScroll=()=>{this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))},this.setRef=n=>this.scroller=n,this.jump=()=>{let n=this.props.chat.msgs.length;this.setState({start:Math.max(0,n-ae),end:n,stick:!0})}}static getDerivedStateFromProps(t,n){let o=t.chat.msgs;if(o===n.msgs)return null;let a=o.length;if(!n.msgs||!n.msgs.length||!a)return{msgs:o,start:Math.max(0,a-ae),end:a,stick:!0,wantUp:!1};let s=n.msgs[0].id,i=0;if(o[0].id!==s&&(i=o.findIndex(l=>l.id===s),i<0))return{msgs:o,start:Math.max(0,a-ae),end:a,stick:!0,wantUp:!1};let c=n.start+i,u=n.end+i,f=n.end===n.msgs.length;return n.wantUp&&i>0?(c=Math.max(0,c-ae),u=Math.min(u,c+ft)):f&&n.stick&&(u=a,c=Math.max(c,u-ft)),{msgs:o,start:c,end:u,wantUp:n.wantUp&&i===0}}shouldComponentUpdate(t,n){let o=this.props,a=this.state;return t.chat.msgs!==o.chat.msgs||t.jump!==o.jump||t.group!==o.group||t.progress!==o.progress||!na(t.uploads,o.uploads)||n.msgs!==a.msgs||n.start!==a.start||n.end!==a.end||n.stick!==a.stick}getSnapshotBeforeUpdate(){let t=this.scroller;if(!t)return null;if(this.state.stick)return{stick:!0};let n=t.scrollTop;for(let o of t.querySelectorAll(".msg[data-id]"))if(o.offsetTop+o.offsetHeight>n)return{id:o.dataset.id,delta:o.offsetTop-n};return null}componentDidMount(){this.scroller.scrollTop=this.scroller.scrollHeight,this.check()}componentDidUpdate(t,n,o){let a=this.scroller;if(o&&o.stick)a.scrollTop=a.scrollHeight;else if(o&&o.id){let s=a.querySelector('.msg[data-id="'+o.id+'"]');s&&(a.scrollTop=s.offsetTop-o.delta)}this.olderFrom&&n.msgs!==this.state.msgs&&n.msgs&&this.state.msgs[0]!==n.msgs[0]&&(performance.measure("pigeon:older-page",{start:this.olderFrom,end:performance.now()}),this.olderFrom=0),this.props.jump&&this.props.jump!==this.jumped&&this.showJump(this.props.jump),this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))}showJump(t){let n=this.props.chat.msgs,o=n.findIndex(s=>s.id===t.id);if(o<0)return;if(this.jumped=t,o>=this.state.start&&o<this.state.end){Ut(this.scroller,t.id);return}let a=Math.max(0,o-ae);this.setState({start:a,end:Math.min(n.length,Math.max(o+ae,a+ae)),stick:!1},()=>Ut(this.scroller,t.id))}componentWillUnmount(){cancelAnimationFrame(this.raf)}check(){let t=this.scroller;if(!t)return;let{chat:n}=this.props,{start:o,end:a}=this.state,s=n.msgs.length,i=t.scrollHeight-t.scrollTop-t.clientHeight,c=i<40&&a===s;if(c!==this.state.stick&&this.setState({stick:c}),t.scrollTop<Ko)if(o>0){let u=Math.max(0,o-ae);this.setState({start:u,end:Math.min(a,u+ft),stick:!1})}else n.hasOlder&&!n.loading&&!this.state.wantUp&&(this.olderFrom=performance.now(),tt(n.key).then(u=>{u||(this.olderFrom=0,this.setState({wantUp:!1}))}),this.setState({wantUp:!0}));else if(i<Ko&&a<s){let u=Math.min(s,a+ae);this.setState({end:u,start:Math.max(o,u-ft)})}}render({chat:t,group:n,progress:o,uploads:a},{start:s,end:i,stick:c}){let u=t.msgs,f=[];s===0&&f.push(r`<${oa} key="older" chatKey=${t.key} />`);for(let l=s;l<i;l++){let m=u[l],h=l>0?u[l-1]:null,d=Et(m.sent_at),$=!h||Et(h.sent_at)!==d;$&&f.push(r`<div class="day" role="separator" key=${"d"+m.id}>${Ae(m.sent_at)}</div>`);let _=n&&m.direction==="in"&&($||h.sender!==m.sender||h.direction!=="in")?m.sender_name||j(m.sender):"",w=m.media?o.get(m.media.id):void 0;f.push(r`<${Qo} key=${m.id} m=${m} sender=${_} prog=${w} onOpen=${this.openMedia} onInfo=${this.openInfo} />`)}if(i===u.length)for(let l of a)f.push(r`<${Vo} key=${"u"+l.uid} u=${l} onCancel=${()=>l.error?$o(l.uid):l.abort()} />`);return r`<div
        class="messages"
        ref=${this.setRef}
        onScroll=${this.onScroll}
        tabindex="0"
        aria-label="Messages"
        data-start=${s}
        data-end=${i}
        data-total=${u.length}
      >
        ${f}
      </div>
      ${(!c||i<u.length)&&r`<button type="button" class="btn jump" onClick=${this.jump} aria-label="Jump to the latest message"><${y} name="down" /> Latest</button>`}`}};function sa({chatKey:e,group:t,info:n}){let o=e.startsWith("g:"),a=e.slice(2),s=b(()=>G(e)),i=b(m=>o?null:m.presence.get(a)),c=b(m=>m.typing.get(e)),u="",f=!1;if(c&&c.size){f=!0;let m=[...c.keys()].map(j);u=o?m.join(", ")+(m.length>1?" are typing…":" is typing…"):"typing…"}else o?u=t?t.members.map(m=>p.me&&m.account===p.me.account?"You":m.name||j(m.account)).join(", "):"":i&&(u=i.state==="online"?"online":i.last_seen?Ke(i.last_seen):"");let l=(o?"/group/":"/chat/")+a+"/info";return r`<header class="bar">
    <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${E}><${y} name="back" /></a>
    <${z} name=${s} group=${o} online=${i&&i.state==="online"} />
    <div class="title">
      <button type="button" onClick=${()=>F(n?l.slice(0,-5):l)} aria-label=${(n?"Hide":"Show")+" details of "+s}>
        <h2>${s}</h2>
        <span class=${W("subtitle",f&&"typing")} data-presence=${i?i.state:""}>${u}</span>
      </button>
    </div>
    <a href=${n?l.slice(0,-5):l} class="icon-btn" onClick=${E} aria-label=${o?"Group details":"Contact details"} aria-pressed=${n?"true":"false"}>
      <${y} name="info" />
    </a>
  </header>`}function aa({chat:e}){let[t,n]=g(""),o=q("");return M(()=>{let a=e.msgs[e.msgs.length-1];if(!a||a.id===o.current)return;let s=!o.current;o.current=a.id,!s&&a.direction==="in"&&n((a.sender_name||j(a.sender))+": "+(a.text||(a.media?"a file":"")))},[e.msgs]),r`<div class="sr-only" aria-live="polite">${t}</div>`}function Xo({chatKey:e,info:t}){let n=e.startsWith("g:"),o=e.slice(2),a=b(S=>S.chats.get(e)),s=b(S=>n?S.groups.get(o):null),i=b(S=>S.progress),c=b(S=>S.uploads),u=b(S=>S.jump&&S.jump.key===e?S.jump:null),f=b(S=>n?null:S.identity.get(o)),[l,m]=g(null),[h,d]=g(null),[$,_]=g(!1),[w,k]=g(null),C=Ve(S=>m(S),[]),I=Ve(S=>d(S),[]),R=c.filter(S=>S.key===e),Me=!n||!s||s.status==="active"&&(s.settings.post!=="admins"||s.role==="owner"||s.role==="admin"),pe=n&&s&&s.status!=="active"?s.status==="left"?"You left this group.":"You were removed from this group.":Me?"":"Only admins can send messages to this group.",be=S=>{pe||!S.dataTransfer||![...S.dataTransfer.types].includes("Files")||(S.preventDefault(),_(!0))},J=S=>{_(!1),!(pe||!S.dataTransfer||!S.dataTransfer.files.length)&&(S.preventDefault(),k([...S.dataTransfer.files]))};return r`<section
    class="conversation"
    aria-label=${"Chat with "+G(e)}
    data-chat=${e}
    onDragOver=${be}
    onDragLeave=${S=>S.currentTarget===S.target&&_(!1)}
    onDrop=${J}
  >
    <${sa} chatKey=${e} group=${s} info=${t} />
    ${f&&r`<div class="banner" role="alert">
      <${y} name="shield" />
      <span class="grow">${G(e)}'s device keys changed (a reinstall, or someone in between). Compare your safety number with them before you trust new messages.</span>
      <a class="btn" href=${"/chat/"+o+"/info"} onClick=${E}>Compare</a>
    </div>`}
    ${a?r`<${nn} key=${e} chat=${a} jump=${u} group=${n} progress=${i} uploads=${R} onOpenMedia=${C} onInfo=${I} />`:r`<div class="messages"></div>`}
    <${ia} chatKey=${e} />
    <${aa} chat=${a||{msgs:[]}} />
    ${pe?r`<p class="readonly-note">${pe}</p>`:r`<${Jo} key=${e} chatKey=${e} dropped=${w} />`}
    ${$&&r`<div class="drop-hint" aria-hidden="true">Drop files to send them</div>`}
    ${l&&r`<${zo} media=${l} onClose=${()=>m(null)} />`}
    ${h&&r`<${Yo} m=${h} onClose=${()=>d(null)} />`}
  </section>`}function ia({chatKey:e}){let t=b(o=>o.typing.get(e)),n=t?[...t.keys()].map(j):[];return r`<div class="typing-line" aria-live="polite" data-typing=${n.length?"yes":"no"}>
    ${n.length?e.startsWith("g:")?n.join(", ")+(n.length>1?" are typing…":" is typing…"):n[0]+" is typing…":""}
  </div>`}function ve({onText:e}){let[t,n]=g(!1),[o,a]=g(""),s=q(null),i=async(c,u)=>{try{let f=await Un(c);if(f)return n(!1),a(""),e(f),!0}catch(f){u||a(f.message||"No QR code found in that image.")}return!1};return M(()=>{let c=u=>{let f=u.clipboardData&&[...u.clipboardData.files].find(l=>l.type.startsWith("image/"));f&&(u.preventDefault(),i(f))};return document.addEventListener("paste",c),()=>document.removeEventListener("paste",c)},[]),r`<div class="scan">
    <div class="row">
      ${navigator.mediaDevices&&navigator.mediaDevices.getUserMedia&&r`<button type="button" class="btn" aria-pressed=${t?"true":"false"} onClick=${()=>n(!t)}>
        <${y} name="camera" /> ${t?"Stop camera":"Scan with camera"}
      </button>`}
      <button type="button" class="btn" onClick=${()=>s.current.click()}><${y} name="qr" /> QR code from an image</button>
      <input
        ref=${s}
        type="file"
        accept="image/png,image/jpeg"
        hidden
        aria-hidden="true"
        tabindex="-1"
        onChange=${c=>{let u=c.target.files[0];c.target.value="",u&&i(u)}}
      />
    </div>
    <p class="muted">You can also paste a screenshot of a QR code here.</p>
    ${t&&r`<${ra} onFrame=${c=>i(c,!0)} onError=${c=>(a(c),n(!1))} />`}
    ${o&&r`<p class="error-text" role="alert">${o}</p>`}
  </div>`}function ra({onFrame:e,onError:t}){let n=q(null);return M(()=>{let o=null,a=0,s=!1,i=document.createElement("canvas"),c=()=>{let u=n.current;if(!(s||!u)){if(u.videoWidth){i.width=u.videoWidth,i.height=u.videoHeight,i.getContext("2d").drawImage(u,0,0),i.toBlob(async f=>{f&&!s&&await e(f)&&(s=!0),s||(a=setTimeout(c,600))},"image/jpeg",.85);return}a=setTimeout(c,300)}};return navigator.mediaDevices.getUserMedia({video:{facingMode:"environment"}}).then(u=>{if(o=u,s)return u.getTracks().forEach(f=>f.stop());n.current.srcObject=u,n.current.play(),c()}).catch(()=>t("The camera is not available: allow it in the browser, or use an image of the code.")),()=>{s=!0,clearTimeout(a),o&&o.getTracks().forEach(u=>u.stop())}},[]),r`<div class="camera"><video ref=${n} muted playsinline aria-label="Camera"></video></div>`}function Zo({onClose:e,initial:t}){let[n,o]=g(t||""),[a,s]=g(""),[i,c]=g(""),[u,f]=g(!1),l=ye(),m=Xe(n);M(()=>{m&&m.kind==="account"&&m.name&&!a&&s(m.name)},[n]);let h=async d=>{if(d.preventDefault(),!m){c("That is not an account ID (pg… 60 characters) or a contact link. Ask your contact for the one on their “My account” screen.");return}f(!0),c("");try{if(m.kind==="invite"){let $=await rt(m.link);L($.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),F("/group/"+$.group);return}await Vt(m.account,a.trim()),e(),F("/chat/"+m.account)}catch($){c($.message)}finally{f(!1)}};return r`<${O}
    title="Add contact"
    onClose=${e}
    actions=${r`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="add-contact" class="btn primary" disabled=${u}>${m&&m.kind==="invite"?"Join group":"Add"}</button>`}
  >
    <form id="add-contact" onSubmit=${h}>
      <label class="field">
        <span>Account ID or link</span>
        <input ref=${l} type="text" name="account" autocomplete="off" spellcheck="false" value=${n} onInput=${d=>o(d.target.value)} placeholder="pg… or pigeon:pg…" />
      </label>
      ${m&&m.kind==="invite"&&r`<p class="muted">This is a group invite link: adding it joins the group.</p>`}
      ${(!m||m.kind==="account")&&r`<label class="field">
        <span>Name (only you see it)</span>
        <input type="text" name="name" value=${a} onInput=${d=>s(d.target.value)} />
      </label>`}
      ${i&&r`<p class="error-text" role="alert">${i}</p>`}
    </form>
    <${ve} onText=${d=>(o(d),c(""))} />
  </${O}>`}function es(){let e=b(a=>a.me),[t,n]=g(localStorage.getItem("pigeon.my-name")||"");if(!e)return null;let o=Hn(e.account,t.trim());return r`<div class="card my-account">
    <h3>My account</h3>
    <p class="muted">Others add you with this ID, this link or by scanning the code.</p>
    <p class="mono" data-account=${e.account}>${e.account}</p>
    <div class="row">
      <button type="button" class="btn" onClick=${async()=>L(await Ne(e.account)?"Account ID copied.":"Copy failed: select the ID and copy it.")}>
        <${y} name="copy" /> Copy ID
      </button>
      <button type="button" class="btn" onClick=${async()=>L(await Ne(o)?"Contact link copied.":"Copy failed.")}>
        <${y} name="link" /> Copy contact link
      </button>
    </div>
    <label class="field">
      <span>Name to suggest in your link (optional)</span>
      <input
        type="text"
        value=${t}
        onInput=${a=>{n(a.target.value),localStorage.setItem("pigeon.my-name",a.target.value)}}
      />
    </label>
    <img class="qr" src=${he(o)} alt=${"QR code of your contact link "+o} width="220" height="220" />
    <p class="muted">Device ${e.device} · peer ${H(e.peer_id)}</p>
  </div>`}function ts({onAdd:e}){let n=[...b(o=>o.contacts).values()].sort((o,a)=>(o.name||o.account).localeCompare(a.name||a.account));return r`<section class="pane page" aria-labelledby="contacts-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${E}><${y} name="back" /></a>
      <h2 id="contacts-title">Contacts</h2>
      <button type="button" class="btn primary" onClick=${e}><${y} name="person-add" /> Add contact</button>
    </header>
    <div class="page-body">
      <div class="card">
        <ul class="list">
          ${n.map(o=>r`<li key=${o.account} data-account=${o.account}>
              <${z} small name=${o.name} />
              <span class="grow">
                <strong>${o.name||H(o.account)}</strong>
                ${o.verified&&r` <span class="verified">✓ verified</span>`}
                ${o.identity_changed_at&&r` <span class="error-text">keys changed</span>`}
                <div class="mono muted">${o.account}</div>
              </span>
              <a class="btn" href=${"/chat/"+o.account} onClick=${E}><${y} name="chat" /> Message</a>
            </li>`)}
          ${!n.length&&r`<li class="muted">No contacts yet. Add one with their account ID, link or QR code.</li>`}
        </ul>
      </div>
      <${es} />
    </div>
  </section>`}function ns(){return r`<section class="pane page" aria-labelledby="me-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${E}><${y} name="back" /></a>
      <h2 id="me-title">My account</h2>
    </header>
    <div class="page-body"><${es} /></div>
  </section>`}function ca({account:e}){let t=b(d=>d.contacts.get(e)),n=b(d=>d.identity.get(e)),[o,a]=g(""),[s,i]=g(""),[c,u]=g(!1),[f,l]=g(null);M(()=>{D("/v1/contacts/"+Z(e)+"/safety-number").then(d=>a(d.safety_number)).catch(d=>i(d.message))},[e,t&&t.identity_changed_at,n]);let m=Gn(o).split(" ").filter(Boolean),h=async()=>{try{await xo(e),L("Marked as verified.")}catch(d){x(d)}};return r`<div class="section safety-number">
    <h3>Safety number</h3>
    ${(n||t&&t.identity_changed_at)&&r`<p class="banner" role="alert"><${y} name="shield" /> Their device keys changed${t&&t.verified?" since you verified it":""} (a reinstall, or someone in between). Compare the safety number again before you trust new messages.</p>`}
    ${s&&r`<p class="error-text">${s}</p>`}
    ${o&&r`<div class="safety" aria-label=${"Safety number "+m.join(" ")} data-safety=${o}>${m.map((d,$)=>r`<span key=${$}>${d}</span>`)}</div>
      <img class="qr" src=${he(o)} alt="QR code of the safety number, for the other side to scan" width="220" height="220" />
      <p class="muted">Compare these digits with ${t&&t.name?t.name:"your contact"}'s screen, in person or on a call, or scan each other's code.</p>`}
    ${c&&r`<${ve}
      onText=${d=>{u(!1),l(d.replace(/\s/g,"")===o)}}
    />`}
    ${f===!0&&r`<p class="verified" role="status">The numbers match.</p>`}
    ${f===!1&&r`<p class="error-text" role="alert">The numbers do not match: do not verify.</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${()=>u(!c)}><${y} name="camera" /> ${c?"Stop scanning":"Scan their code"}</button>
      ${t&&t.verified&&!t.identity_changed_at?r`<span class="verified"><${y} name="shield" /> Verified</span>`:r`<button type="button" class="btn primary" onClick=${h} disabled=${!t}>Mark as verified</button>`}
    </div>
  </div>`}var la=[[-1,"As in Settings"],[0,"Never"],[1<<20,"Up to 1 MB"],[16<<20,"Up to 16 MB"],[100<<20,"Up to 100 MB"],[16*1024*1024*1024,"Always"]];function ua({account:e}){let[t,n]=g(localStorage.getItem("pigeon.auto."+e)||"-1"),o=async a=>{try{await U("/v1/conversations/"+Z(e)+"/auto-download",{max_bytes:Number(a)}),localStorage.setItem("pigeon.auto."+e,a),n(a)}catch(s){x(s)}};return r`<label class="field">
    <span>Download files from this chat on arrival</span>
    <select value=${t} onChange=${a=>o(a.target.value)}>
      ${la.map(([a,s])=>r`<option value=${String(a)}>${s}</option>`)}
    </select>
  </label>`}function os({account:e}){let t=b(c=>c.contacts.get(e)),n=b(c=>c.presence.get(e)),[o,a]=g(t?t.name:"");M(()=>a(t?t.name:""),[t&&t.name]);let s=async c=>{c.preventDefault();try{await U("/v1/contacts/"+Z(e),{name:o.trim()}),await oe(),$e(),L("Saved.")}catch(u){x(u)}},i=async()=>{if(confirm("Remove this contact? The chat stays."))try{await Y("/v1/contacts/"+Z(e)),await oe()}catch(c){x(c)}};return r`<aside class="drawer" aria-label="Contact details">
    <header class="bar">
      <a href=${"/chat/"+e} class="icon-btn" onClick=${E} aria-label="Close details"><${y} name="close" /></a>
      <h2>Contact details</h2>
    </header>
    <div class="section">
      ${t?r`<form onSubmit=${s} class="row">
            <label class="field grow"><span>Name</span><input type="text" value=${o} onInput=${c=>a(c.target.value)} /></label>
            <button class="btn" type="submit">Save</button>
          </form>`:r`<p>Not in your contacts.</p>
            <button type="button" class="btn primary" onClick=${()=>Vt(e,"").catch(x)}>Add to contacts</button>`}
      <p class="label">Account ID</p>
      <p class="mono">${e}</p>
      ${n&&r`<p class="muted">${n.state==="online"?"Online":n.state==="offline"?"Offline":"Presence not shared"}</p>`}
    </div>
    <${ca} account=${e} />
    <div class="section">
      <h3>Files</h3>
      <${ua} account=${e} />
    </div>
    ${t&&r`<div class="section"><button type="button" class="btn danger" onClick=${i}><${y} name="trash" /> Remove contact</button></div>`}
  </aside>`}function ss({chosen:e,onChange:t,exclude:n}){let a=[...b(s=>s.contacts).values()].filter(s=>!n||!n.has(s.account));return a.length?r`<fieldset class="pick">
    <legend class="sr-only">Members</legend>
    ${a.map(s=>r`<label key=${s.account}>
        <input
          type="checkbox"
          checked=${e.has(s.account)}
          onChange=${i=>{let c=new Set(e);i.target.checked?c.add(s.account):c.delete(s.account),t(c)}}
        />
        ${s.name||H(s.account)}
      </label>`)}
  </fieldset>`:r`<p class="muted">No contacts to choose from. Add contacts first, or share an invite link.</p>`}function as({onClose:e}){let[t,n]=g(""),[o,a]=g(""),[s,i]=g(new Set),[c,u]=g(""),[f,l]=g(!1),m=ye(),h=async d=>{if(d.preventDefault(),!t.trim()){u("Give the group a name.");return}l(!0);try{let $=await Co(t.trim(),o.trim(),[...s]);e(),F("/group/"+$.id)}catch($){u($.message)}finally{l(!1)}};return r`<${O}
    title="New group"
    onClose=${e}
    actions=${r`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="new-group" class="btn primary" disabled=${f}>Create</button>`}
  >
    <form id="new-group" onSubmit=${h}>
      <label class="field"><span>Name</span><input ref=${m} type="text" name="name" value=${t} onInput=${d=>n(d.target.value)} /></label>
      <label class="field"><span>Description (optional)</span><textarea rows="2" name="description" value=${o} onInput=${d=>a(d.target.value)}></textarea></label>
      <p class="label">Members</p>
      <${ss} chosen=${s} onChange=${i} />
      ${c&&r`<p class="error-text" role="alert">${c}</p>`}
    </form>
  </${O}>`}function is({onClose:e}){let[t,n]=g(""),[o,a]=g(""),[s,i]=g(!1),c=ye(),u=async f=>{let l=Xe(f);if(!l||l.kind!=="invite"){a("That is not a group invite link (it starts with pgi). Ask a member for a new one.");return}i(!0),a("");try{let m=await rt(l.link);L(m.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),F("/group/"+m.group)}catch(m){a(m.message)}finally{i(!1)}};return r`<${O}
    title="Join a group"
    onClose=${e}
    actions=${r`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="join-group" class="btn primary" disabled=${s}>${s?"Asking the group…":"Join"}</button>`}
  >
    <form
      id="join-group"
      onSubmit=${f=>{f.preventDefault(),u(t)}}
    >
      <label class="field"><span>Invite link</span><input ref=${c} type="text" name="link" autocomplete="off" spellcheck="false" value=${t} onInput=${f=>n(f.target.value)} placeholder="pgi…" /></label>
      ${o&&r`<p class="error-text" role="alert">${o}</p>`}
    </form>
    <${ve} onText=${f=>(n(f),u(f))} />
  </${O}>`}var sn=(e,t)=>e.role==="owner"||e.role==="admin"||e.settings&&e.settings[t]==="members"&&e.role==="member";function pa({g:e}){let[t,n]=g(""),[o,a]=g("86400"),s=async()=>{try{let c=await P("/v1/groups/"+e.id+"/invites",{ttl_seconds:Number(o)});n(c.link),Q(e.id)}catch(c){x(c)}},i=async()=>{try{await P("/v1/groups/invites/revoke",{link:t}),n(""),Q(e.id),L("Invite link revoked: nobody can join with it now.")}catch(c){x(c)}};return r`<div class="section invites">
    <h3>Invite link</h3>
    ${t?r`<p class="mono" data-invite=${t}>${t}</p>
          <img class="qr" src=${he(t)} alt="QR code of the invite link" width="220" height="220" />
          <div class="row">
            <button type="button" class="btn" onClick=${async()=>L(await Ne(t)?"Invite link copied.":"Copy failed: select the link and copy it.")}>
              <${y} name="copy" /> Copy
            </button>
            <button type="button" class="btn danger" onClick=${i}>Revoke</button>
          </div>`:r`<div class="row">
          <label class="field grow">
            <span>Valid for</span>
            <select value=${o} onChange=${c=>a(c.target.value)}>
              <option value="3600">1 hour</option>
              <option value="86400">1 day</option>
              <option value="604800">1 week</option>
              <option value="0">Until revoked</option>
            </select>
          </label>
          <button type="button" class="btn primary" onClick=${s}><${y} name="link" /> Create invite link</button>
        </div>`}
    ${e.invites&&e.invites.length>0&&r`<p class="muted">${e.invites.length} invite link${e.invites.length>1?"s":""} open.</p>`}
  </div>`}function da({g:e}){let t=b(l=>l.contacts),[n,o]=g(!1),[a,s]=g(new Set),i=p.me&&p.me.account,c=e.role==="owner"||e.role==="admin",u=async l=>{try{await l(),await Q(e.id)}catch(m){x(m)}},f="/v1/groups/"+e.id+"/members";return r`<div class="section members">
    <h3>${e.members.length} members</h3>
    <ul class="list">
      ${e.members.map(l=>{let m=l.account===i?"You":l.name||(t.get(l.account)||{}).name||H(l.account);return r`<li key=${l.account} data-account=${l.account}>
          <${z} small name=${m} />
          <span class="grow">${m}</span>
          ${l.role!=="member"&&r`<span class="role">${l.role}</span>`}
          ${c&&l.account!==i&&l.role!=="owner"&&r`<span class="row">
            ${l.role==="member"?r`<button type="button" class="btn" onClick=${()=>u(()=>U(f+"/"+l.account+"/role",{role:"admin"}))} aria-label=${"Make "+m+" an admin"}>Make admin</button>`:e.role==="owner"&&r`<button type="button" class="btn" onClick=${()=>u(()=>U(f+"/"+l.account+"/role",{role:"member"}))} aria-label=${"Make "+m+" a member"}>Dismiss as admin</button>`}
            <button type="button" class="btn danger" onClick=${()=>confirm("Remove "+m+" from the group?")&&u(()=>Y(f+"/"+l.account))} aria-label=${"Remove "+m}>
              Remove
            </button>
          </span>`}
        </li>`})}
    </ul>
    ${sn(e,"add")&&(n?r`<div>
          <${ss} chosen=${a} onChange=${s} exclude=${new Set(e.members.map(l=>l.account))} />
          <div class="row">
            <button
              type="button"
              class="btn primary"
              disabled=${!a.size}
              onClick=${()=>u(async()=>{await P(f,{accounts:[...a],role:"member"}),o(!1),s(new Set)})}
            >
              Add ${a.size||""}
            </button>
            <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
          </div>
        </div>`:r`<button type="button" class="btn" onClick=${()=>o(!0)}><${y} name="person-add" /> Add members</button>`)}
  </div>`}function on({g:e,k:t,label:n}){let o=async a=>{try{await It("/v1/groups/"+e.id,{settings:{...e.settings,[t]:a}}),await Q(e.id)}catch(s){x(s)}};return r`<label class="field">
    <span>${n}</span>
    <select value=${e.settings[t]} onChange=${a=>o(a.target.value)}>
      <option value="members">All members</option>
      <option value="admins">Only admins</option>
    </select>
  </label>`}function fa({g:e}){return r`<div class="section">
    <h3>Permissions</h3>
    <${on} g=${e} k="post" label="Who can send messages" />
    <${on} g=${e} k="add" label="Who can add members" />
    <${on} g=${e} k="edit_info" label="Who can change name and description" />
  </div>`}function rs({id:e}){let t=b(l=>l.groups.get(e)),[n,o]=g(null),[a,s]=g(null);if(!t)return r`<aside class="drawer"><p class="hint">Loading the group…</p></aside>`;let i=t.status==="active",c=i&&sn(t,"edit_info"),u=async l=>{l.preventDefault();try{await It("/v1/groups/"+e,{name:(n??t.name).trim(),description:(a??t.description??"").trim()}),await Q(e),await V(),o(null),s(null),L("Saved.")}catch(m){x(m)}},f=async()=>{if(confirm("Leave "+t.name+"? You will not get its messages any more."))try{await P("/v1/groups/"+e+"/leave"),await Q(e)}catch(l){x(l)}};return r`<aside class="drawer" aria-label="Group details" data-group=${e}>
    <header class="bar">
      <a href=${"/group/"+e} class="icon-btn" onClick=${E} aria-label="Close details"><${y} name="close" /></a>
      <h2>Group details</h2>
    </header>
    <div class="section">
      ${c?r`<form onSubmit=${u}>
            <label class="field"><span>Name</span><input type="text" name="name" value=${n??t.name} onInput=${l=>o(l.target.value)} /></label>
            <label class="field"><span>Description</span><textarea rows="3" name="description" value=${a??t.description??""} onInput=${l=>s(l.target.value)}></textarea></label>
            <button type="submit" class="btn" disabled=${n===null&&a===null}>Save</button>
          </form>`:r`<h3>${t.name}</h3>
            <p>${t.description}</p>`}
      <p class="muted">${i?"Your role: "+t.role:t.status==="left"?"You left this group.":"You were removed from this group."}</p>
    </div>
    ${i&&r`<${da} g=${t} />`}
    ${i&&sn(t,"add")&&r`<${pa} g=${t} />`}
    ${i&&(t.role==="owner"||t.role==="admin")&&r`<${fa} g=${t} />`}
    ${i&&r`<div class="section"><button type="button" class="btn danger" onClick=${f}>Leave group</button></div>`}
  </aside>`}function rn(e=localStorage.getItem("pigeon.theme")||"system"){e==="light"||e==="dark"?document.documentElement.dataset.theme=e:delete document.documentElement.dataset.theme}function ma(){let[e,t]=g(null),[n,o]=g(""),[a,s]=g(""),i=()=>D("/v1/relays").then(t).catch(x);M(()=>{i();let f=setInterval(i,1e4);return()=>clearInterval(f)},[]);let c=async f=>{f.preventDefault();try{await P("/v1/relays",a.trim()?{addr:n.trim(),invite:a.trim()}:{addr:n.trim()}),o(""),s(""),L("Relay added: the node reserves a slot there now."),i()}catch(l){x(l)}},u=async f=>{if(confirm("Stop using relay "+H(f.peer_id)+"? What its mailbox holds for you is taken first."))try{await Y("/v1/relays/"+f.peer_id),i()}catch(l){x(l)}};return r`<div class="card relays">
    <h3>Relays</h3>
    <p class="muted">Relays carry your encrypted messages while you are offline and connect you when you cannot be reached directly. They only see ciphertext.</p>
    <ul class="list">
      ${(e||[]).map(f=>r`<li key=${f.peer_id} data-peer=${f.peer_id}>
          <span class="grow">
            <span class="mono">${f.addr}</span>
            <div class="relay-stats">
              ${f.closing?"closing":f.reserved?"connected":"not connected"}
              ${f.latency_ms?" · "+f.latency_ms.toFixed(1)+" ms":""}
              ${f.region?" · "+f.region:""}
              ${f.mailbox?" · mailbox":""}
              ${f.push&&f.push!=="off"?" · push "+f.push+(f.push_reason?" ("+f.push_reason+")":""):""}
              ${f.last_error?r` · <span class="error-text">${f.last_error}</span>`:""}
            </div>
          </span>
          ${!f.closing&&r`<button type="button" class="btn danger" onClick=${()=>u(f)} aria-label=${"Remove relay "+f.addr}>Remove</button>`}
        </li>`)}
      ${e&&!e.length&&r`<li class="muted">No relays: others reach you only while you are online and reachable.</li>`}
    </ul>
    <form onSubmit=${c}>
      <label class="field"><span>Relay address</span><input type="text" name="relay" value=${n} onInput=${f=>o(f.target.value)} placeholder="/ip4/…/tcp/…/p2p/12D3Koo…" spellcheck="false" /></label>
      <label class="field"><span>Invite token (for invite-only relays)</span><input type="text" value=${a} onInput=${f=>s(f.target.value)} /></label>
      <button type="submit" class="btn" disabled=${!n.trim()}>Add relay</button>
    </form>
  </div>`}function ha(){let[e,t]=g(null),[n,o]=g("unifiedpush"),[a,s]=g(""),[i,c]=g(""),[u,f]=g(""),l=()=>D("/v1/push").then(t).catch(x);M(()=>{l()},[]);let m=async d=>{d.preventDefault();let $={kind:n};n==="unifiedpush"||n==="webhook"?$.url=a.trim():$.token=i.trim(),n==="apns"&&($.topic=u.trim());try{await U("/v1/push",$),L("Push endpoint set; each relay says below whether it will use it."),l()}catch(_){x(_)}},h=async()=>{try{await Y("/v1/push"),l()}catch(d){x(d)}};return r`<div class="card push">
    <h3>Push wake-ups</h3>
    <p class="muted">Your relays can wake a phone or a server of yours when something arrives while this device is away. The wake-up carries no content.</p>
    ${e&&r`<p>${e.endpoint?"Now: "+e.described:"No push endpoint."}</p>
      <ul class="list">
        ${e.relays.map(d=>r`<li key=${d.peer_id}><span class="grow mono">${H(d.peer_id)}</span><span>${d.state}${d.reason?": "+d.reason:""}</span></li>`)}
      </ul>`}
    <form onSubmit=${m}>
      <label class="field">
        <span>Kind</span>
        <select value=${n} onChange=${d=>o(d.target.value)}>
          <option value="unifiedpush">UnifiedPush</option>
          <option value="webhook">Webhook</option>
          <option value="fcm">Firebase (FCM)</option>
          <option value="apns">Apple (APNs)</option>
        </select>
      </label>
      ${n==="unifiedpush"||n==="webhook"?r`<label class="field"><span>URL</span><input type="url" value=${a} onInput=${d=>s(d.target.value)} /></label>`:r`<label class="field"><span>Token</span><input type="text" value=${i} onInput=${d=>c(d.target.value)} /></label>`}
      ${n==="apns"&&r`<label class="field"><span>Topic</span><input type="text" value=${u} onInput=${d=>f(d.target.value)} /></label>`}
      <div class="row">
        <button type="submit" class="btn">Set</button>
        ${e&&e.endpoint&&r`<button type="button" class="btn danger" onClick=${h}>Turn off</button>`}
      </div>
    </form>
  </div>`}function ga(){let[e,t]=g("");M(()=>{D("/v1/presence/privacy").then(o=>t(o.who)).catch(x)},[]);let n=async o=>{try{await U("/v1/presence/privacy",{who:o}),t(o),L("Saved.")}catch(a){x(a)}};return r`<div class="card">
    <h3>Privacy</h3>
    <label class="field">
      <span>Who sees when you are online and when you were last seen</span>
      <select value=${e} onChange=${o=>n(o.target.value)}>
        ${!e&&r`<option value="">Loading…</option>`}
        <option value="everyone">Everyone</option>
        <option value="contacts">My contacts</option>
        <option value="nobody">Nobody</option>
      </select>
    </label>
  </div>`}var an=[[0,"Never (download when I ask)"],[1<<20,"Files up to 1 MB"],[16<<20,"Files up to 16 MB"],[100<<20,"Files up to 100 MB"],[16*1024*1024*1024,"All files"]];function _a(){let e=b(a=>a.autoDownload),t=e?e.max_bytes:null,n=t==null||an.some(([a])=>a===t)?an:[...an,[t,"Files up to "+te(t)]],o=async a=>{try{await U("/v1/media-settings/auto-download",{max_bytes:Number(a)}),await Gt()}catch(s){x(s)}};return r`<div class="card">
    <h3>Automatic downloads</h3>
    <label class="field">
      <span>Download files on arrival</span>
      <select value=${t==null?"":String(t)} onChange=${a=>o(a.target.value)}>
        ${n.map(([a,s])=>r`<option value=${String(a)}>${s}</option>`)}
      </select>
    </label>
    <p class="muted">Each chat can have its own setting in its details.</p>
  </div>`}function ya(){let[e,t]=g(localStorage.getItem("pigeon.theme")||"system"),[n,o]=g(lt()),a=s=>{localStorage.setItem("pigeon.theme",s),t(s),rn(s)};return r`<div class="card">
    <h3>Appearance and notifications</h3>
    <fieldset class="field">
      <legend class="label">Theme</legend>
      <div class="row">
        ${["system","light","dark"].map(s=>r`<label key=${s}><input type="radio" name="theme" value=${s} checked=${e===s} onChange=${()=>a(s)} /> ${s==="system"?"Follow the system":s==="light"?"Light":"Dark"}</label>`)}
      </div>
    </fieldset>
    <p>
      Notifications:
      ${n==="granted"?" on, while this tab is in the background.":n==="denied"?" blocked in this browser’s site settings.":n==="unsupported"?" not supported by this browser.":r` <button type="button" class="btn" onClick=${async()=>o(await ut())}>Turn on</button>`}
    </p>
  </div>`}function $a(){return r`<div class="card">
    <h3>This browser</h3>
    <p class="muted">Signing out ends this browser's session; run <code>pigeon web</code> to sign in again.</p>
    <button type="button" class="btn danger" onClick=${async()=>{try{await P("/v1/web/logout")}catch(t){if(t.status!==401)return x(t)}p.boot="signedout",p.me=null,location.replace("/")}}>Sign out</button>
  </div>`}function cs(){return r`<section class="pane page" aria-labelledby="settings-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${E}><${y} name="back" /></a>
      <h2 id="settings-title">Settings</h2>
    </header>
    <div class="page-body">
      <${No} />
      <${ya} />
      <${ga} />
      <${_a} />
      <${ma} />
      <${ha} />
      <${$a} />
    </div>
  </section>`}function va(){let e=p.convs.map(n=>({key:n.key,name:n.name||G(n.key),group:!!n.group})),t=new Set(e.map(n=>n.key));for(let n of p.contacts.values()){let o=ge(n.account);t.has(o)||e.push({key:o,name:n.name||G(o),group:!1})}return e}function ls({onClose:e}){let[t,n]=g(""),[o,a]=g(0),s=ye(),i=t.trim().toLowerCase(),c=va(),u=(i?c.filter(h=>h.name.toLowerCase().includes(i)):c).slice(0,50),f=Math.min(o,u.length-1),l=h=>{h&&(e(),F(_e(h.key)))},m=h=>{h.key==="ArrowDown"?(h.preventDefault(),a((f+1)%Math.max(1,u.length))):h.key==="ArrowUp"?(h.preventDefault(),a((f-1+u.length)%Math.max(1,u.length))):h.key==="Enter"&&(h.preventDefault(),l(u[f]))};return r`<${O} title="Go to chat" onClose=${e} class="switcher">
    <label class="sr-only" for="switcher-input">Chat name</label>
    <input
      id="switcher-input"
      ref=${s}
      type="text"
      role="combobox"
      aria-expanded="true"
      aria-controls="switcher-list"
      aria-autocomplete="list"
      aria-activedescendant=${u.length?"sw-"+f:void 0}
      autocomplete="off"
      placeholder="Type a name"
      value=${t}
      onInput=${h=>(n(h.target.value),a(0))}
      onKeyDown=${m}
    />
    <ul id="switcher-list" class="switcher-list" role="listbox" aria-label="Chats">
      ${u.map((h,d)=>r`<li id=${"sw-"+d} key=${h.key} role="option" aria-selected=${d===f?"true":"false"} onClick=${()=>l(h)} data-key=${h.key}>
          <${z} small name=${h.name} group=${h.group} />
          ${h.name}
        </li>`)}
      ${!u.length&&r`<li class="muted" role="option" aria-disabled="true" aria-selected="false">No chat matches.</li>`}
    </ul>
  </${O}>`}var ba=500,mt=null,us="";function ds(){return p.boot="setup",p.setup=null,v(),new Promise(e=>{mt=e,ms()})}function fs(){let e=mt;mt=null,e&&e()}async function ms(){if(mt){try{p.setup=await D("/v1/setup"),p.setupDown=""}catch(e){p.setupDown=e.message}if(v(),p.setup&&p.setup.state==="ready"){fs();return}setTimeout(ms,ba)}}var ps=e=>(e||0).toLocaleString("en-US");function wa({failed:e,onLink:t}){let[n,o]=g(!1),[a,s]=g("");return r`<div class="setup-choice">
    <button type="button" class="btn primary create-account" disabled=${n} onClick=${async()=>{o(!0),s("");try{await P("/v1/setup/create"),p.setup={state:"creating"},v()}catch(c){s(c.message)}o(!1)}}>Create a new account</button>
    <button type="button" class="btn link-account" disabled=${n} onClick=${t}>Link to an account I already have</button>
    ${(a||e)&&r`<p class="error-text setup-error" role="alert">${a||e.error}</p>`}
  </div>`}function ka({failed:e,onBack:t}){let[n,o]=g(""),[a,s]=g(us),[i,c]=g(!1),[u,f]=g(""),l=async h=>{h.preventDefault(),c(!0),f("");try{await P("/v1/setup/link",{code:n.trim(),name:a.trim()}),p.setup={state:"linking"},v()}catch(d){f(d.message)}c(!1)},m=u||e&&e.error;return r`<form class="setup-link" onSubmit=${l}>
    <p>On the device that has your account, open Settings › Devices › <strong>Link a device</strong> (or run <code>pigeon devices link</code>), then paste its code here.</p>
    <label class="field">
      <span>Link code</span>
      <textarea class="mono link-code link-code-input" rows="4" spellcheck="false" placeholder="pigeon-link:…" value=${n} onInput=${h=>o(h.target.value)}></textarea>
    </label>
    <${ve} onText=${o} />
    <label class="field">
      <span>Name of this device (optional)</span>
      <input type="text" class="device-name-input" maxlength="64" placeholder="this computer's name" value=${a} onInput=${h=>s(us=h.target.value)} />
    </label>
    ${m&&r`<p class="error-text setup-error" role="alert" data-code=${u?"":e.code}>${m}</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${t}>Back</button>
      <button type="submit" class="btn primary" disabled=${i||!n.trim()}>Link this device</button>
    </div>
  </form>`}function hs(){let e=b(s=>s.setup),t=b(s=>s.setupDown),[n,o]=g(""),a;if(!e)a=r`<p class="muted">Asking the daemon…</p>`;else if(e.state==="creating")a=r`<p role="status">Creating your account…</p>`;else if(e.state==="linking")a=e.sas?r`<p>Check that your other device shows this code, and confirm there:</p>
          <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
          <p class="muted">If it shows other digits, cancel there: someone else has your link code.</p>`:r`<p role="status">Asking your other device…</p>`;else if(e.state==="syncing"||e.state==="ready"){let s=e.history||{};a=r`<p>This device is linked to your account.</p>
      <p class="setup-history" role="status">${s.error?"Getting your history stopped ("+s.error+"); it goes on when the devices meet again.":"Getting your history: "+ps(s.done)+" of "+ps(s.total)}</p>
      <progress max=${s.total||1} value=${s.done||0}></progress>
      <button type="button" class="btn open-app" onClick=${fs}>Open Pigeon now</button>`}else n==="link"||n===""&&e.error&&e.error.code!=="internal"?a=r`<${ka} failed=${e.error} onBack=${()=>o("choice")} />`:a=r`<p>This device has no Pigeon account yet.</p><${wa} failed=${e.error} onLink=${()=>o("link")} />`;return r`<main class="signin setup" aria-labelledby="setup-title" data-state=${e?e.state:""}>
    <h1 id="setup-title">Set up Pigeon</h1>
    ${a}
    ${t&&r`<p class="error-text" role="alert">${t}</p>`}
  </main>`}function xa(){return r`<main class="signin" aria-labelledby="signin-title">
    <h1 id="signin-title">Sign in to Pigeon</h1>
    <p>This browser is not signed in to your Pigeon node (or its session ended).</p>
    <p>In a terminal on this computer, run <code>pigeon web</code>: it prints a one-time login link and opens it in your browser.</p>
    <p class="muted">The link works once, for 10 minutes. The session then lasts 30 days from its last use.</p>
  </main>`}function Ca(){let e=b(t=>t.toasts);return r`<div class="toasts" role="status" aria-live="polite">
    ${e.map(t=>r`<div key=${t.id} class=${"toast "+t.kind} role=${t.kind==="error"?"alert":void 0}>
        <span class="grow">${t.text}</span>
        <button type="button" aria-label="Dismiss" onClick=${()=>Ht(t.id)}><${y} name="close" /></button>
      </div>`)}
  </div>`}function Sa(){return r`<main class="pane empty-pane" id="main">
    <div class="card">
      <h2>Pigeon</h2>
      <p>Pick a chat on the left, or press <kbd>Ctrl</kbd>+<kbd>K</kbd> to jump to one.</p>
      <p class="muted">Messages are end-to-end encrypted and stored on your own node.</p>
    </div>
  </main>`}function Ma(){let e=b(c=>c.boot),t=b(c=>c.storageFull),n=Mo(),[o,a]=g("");if(M(()=>{n.name==="chat"?zt(n.key):mo()},[n.name,n.key,e]),M(()=>{let c=u=>{(u.ctrlKey||u.metaKey)&&!u.altKey&&u.key.toLowerCase()==="k"&&(u.preventDefault(),a("switcher"))};return document.addEventListener("keydown",c),()=>document.removeEventListener("keydown",c)},[]),e==="signedout")return r`<${xa} />`;if(e==="setup")return r`<${hs} />`;if(e==="error")return r`<main class="signin"><h1>Pigeon</h1><p class="error-text">${p.bootError}</p></main>`;let s=()=>a(""),i;if(n.name==="chat"){let c=r`<${Xo} key=${n.key} chatKey=${n.key} info=${n.info} />`,u=n.info&&(n.key.startsWith("g:")?r`<${rs} id=${n.key.slice(2)} />`:r`<${os} account=${n.key.slice(2)} />`);i=r`<main class="pane" id="main">${u?r`<div class="with-drawer">${c}${u}</div>`:c}</main>`}else n.name==="contacts"?i=r`<${ts} onAdd=${()=>a("contact")} />`:n.name==="me"?i=r`<${ns} />`:n.name==="settings"?i=r`<${cs} />`:i=r`<${Sa} />`;return r`<div class=${"app"+(n.name!=="home"?" chat-open":"")} data-boot=${e}>
    <a class="skip" href="#main">Skip to conversation</a>
    <${jo}
      current=${n.key}
      onNewGroup=${()=>a("group")}
      onAddContact=${()=>a("contact")}
      onJoin=${()=>a("join")}
    />
    ${t&&r`<div class="banner" role="alert">The disk is nearly full: free some space to receive messages and files again.</div>`}
    ${i}
    ${o==="switcher"&&r`<${ls} onClose=${s} />`}
    ${o==="group"&&r`<${as} onClose=${s} />`}
    ${o==="contact"&&r`<${Zo} onClose=${s} />`}
    ${o==="join"&&r`<${is} onClose=${s} />`}
    <${Eo} />
    <${Ca} />
  </div>`}function Da(){let e=b(t=>t.conn);return M(()=>{document.body.dataset.conn=e},[e]),r`<${Ma} />`}function Ta(){return new Promise(e=>document.hidden?e():requestAnimationFrame(()=>setTimeout(e)))}async function Ra(){Nn(()=>{p.boot="signedout",v()});let e=D("/v1/info");e.catch(()=>{}),await Ta();let t=document.getElementById("app");t.textContent="",t.className="",kt(r`<${Da} />`,t);try{p.me=await e.catch(async n=>{if(n.code!=="not_set_up")throw n;return await ds(),p.boot="loading",D("/v1/info")})}catch(n){n.status!==401&&(p.boot="error",p.bootError=n.message),v();return}v(),dt(),document.addEventListener("visibilitychange",()=>{go(document.visibilityState==="visible"),document.hidden||en()}),window.addEventListener("online",en),lo(Ro)}rn();Ra();
